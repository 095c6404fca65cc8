"""Recording a run as an MP4 video or an animated GIF (for slides).

Two ways in:

* :class:`Recorder` records a live widget (normally the main window) while it trains: on
  the GUI thread, right after each repaint of the window and on a timer, the window's pixels
  are copied whenever a frame is due; a child process encodes them.
* :func:`record_run` trains a config in this process and renders one frame per slice of the
  run (the headless ``--record`` command line).

Capture.  ``QWidget.grab()`` re-renders the whole window (about 30 ms at 1920×1080, which
would halve the live frame rate) and ``QScreen.grabWindow()`` asks the X server for the
pixels (15–22 ms on Xvfb).  Qt keeps every top-level window's last painted pixels in its
*backing store*, a QImage on the raster platforms (xcb, offscreen, Windows, macOS): copying
the window's rectangle out of it costs about 1 ms at 1920×1080 and shows exactly what is on
the screen, even where another window covers it.  When a recording starts the copy is
compared with one ``grab()``; if there is no QImage backing store or the two pictures
disagree on more than half of the pixels, every frame is taken with ``grab()``.

Pacing.  Frame k is due at ``start + k / fps``.  When the GUI thread was busy past a frame's
time, the next capture fills every frame that has come due (the window showed nothing newer
meanwhile), so the file always plays in real time and has ``round(fps * duration_s)`` frames
after ``duration_s`` seconds.

Encoding happens off the GUI thread and out of its process: captured QImages (shared, not
copied, when a picture fills several frames) go through a bounded queue (at most
:data:`~app.recording.encoder.QUEUE_BYTES` of pictures) to a thread that pipes raw BGRA frames
to a child process: the ffmpeg binary bundled with imageio-ffmpeg. An MP4 is encoded as the
frames arrive (libx264 :data:`~app.recording.ffmpeg.MP4_PRESET`, yuv420p, BT.709; scaling and
padding are done by ffmpeg). A GIF takes three ffmpeg passes: while recording, the frames are
scaled and stored losslessly in a temporary file (H.264 in RGB at QP 0, which costs less than
quantising each frame and next to nothing for an unchanged picture); at the end ``palettegen``
makes one palette of the whole recording and ``paletteuse`` writes the GIF with it, storing
only the rectangle that changed since the frame before. The thread only waits on the pipe, so
it never competes with the GUI thread for the GIL. The child runs at a lower CPU priority (nice
:data:`~app.recording.ffmpeg.ENCODER_NICE`, the training engine's). When the encoder falls so
far behind that the queue is full, the frames that come due hold the last stored picture until
there is room again (the live view is never blocked and no more memory is taken;
:attr:`RecordingResult.held` counts them, so the user can be told that the computer was too
busy; the headless :func:`record_run` never holds a frame). The encoder works through its queue
after capturing ends: ``finished`` follows once the file is complete.

Files are written like the other exports (``app/export.py``): into a temporary file in the
target folder that is renamed at the end; an existing file is refused unless ``force``
(checked before the first frame); with a ``config`` a sidecar ``OUT.mp4.json`` /
``OUT.gif.json`` is written and the config also goes into the file's comment (MP4
metadata ``comment``, GIF comment extension).  On failure or cancel the temporary file is
removed and nothing that existed is touched.

A GIF stores frame delays in hundredths of a second and browsers slow down delays under
0.02 s, so GIFs are limited to :data:`GIF_MAX_FPS`; by default they are scaled down to at
most :data:`GIF_MAX_WIDTH` pixels wide to keep files small.

Where it lives: :mod:`~app.recording.plan` (parameters, sizes, the result),
:mod:`~app.recording.capture` (backing store and ``grab()``), :mod:`~app.recording.ffmpeg`
(the encoder processes and their commands), :mod:`~app.recording.encoder` (the queue and the
encoder thread), :mod:`~app.recording.recorder` (live recording and its pacing),
:mod:`~app.recording.headless` (``--record``) and :mod:`~app.recording.dialog` (the record
dialog).  The names below are the package's interface.
"""

from app.recording.capture import backing_store_image, grab_image, image_array
from app.recording.dialog import RecordDialog
from app.recording.headless import record_frames, record_run
from app.recording.plan import GIF_MAX_FPS, GIF_MAX_WIDTH, KINDS, MAX_DURATION_S, MAX_FPS, RecordingResult, output_size
from app.recording.recorder import Recorder

__all__ = [
    "GIF_MAX_FPS",
    "GIF_MAX_WIDTH",
    "KINDS",
    "MAX_DURATION_S",
    "MAX_FPS",
    "RecordDialog",
    "Recorder",
    "RecordingResult",
    "backing_store_image",
    "grab_image",
    "image_array",
    "output_size",
    "record_frames",
    "record_run",
]
