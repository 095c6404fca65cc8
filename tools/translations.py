"""Keep Backprop Lab's UI translations: extract, fill in, check and compile.

    python tools/translations.py update         # app/ + views/ → resources/i18n/backprop_lab_zh_CN.ts
    python tools/translations.py todo [FILE]    # what still needs a translation, as JSON to fill in
    python tools/translations.py apply FILE     # write the filled-in JSON into the .ts
    python tools/translations.py release        # .ts → .qm (pyside6-lrelease); commit both
    python tools/translations.py check          # exit 1 listing everything that is not right

What counts as a translatable text (literal strings only; values go in afterwards with
``.format(name=value)``):

* ``QCoreApplication.translate("Context", "text")`` — also through ``QtCore.``, ``QApplication``
  or ``QGuiApplication``, or any name bound to it (``tr = QtCore.QCoreApplication.translate``);
  an optional third argument is the disambiguation comment;
* ``self.tr("text")`` inside a class: the context is the class's name (PySide6 finds it for
  subclasses too);
* ``QT_TRANSLATE_NOOP("Context", "text")`` for tables translated later;
* ``helper("text")`` where ``def helper(text): return QCoreApplication.translate("Context", text)``
  (a function that only translates its argument in one fixed context).

pyside6-lupdate reads each of these forms, but not a file that binds ``tr`` to translate
together with one that calls ``self.tr``: ``tr`` means one thing per lupdate run.  So the
texts are extracted here with ``ast`` and the .ts is written here, in lupdate's layout, sorted
by context, source and comment and without source locations: re-running ``update`` changes the
file only when the texts change.  pyside6-lrelease compiles it.

``update`` keeps existing translations, marks translated texts that left the code as
``vanished`` (kept for when they come back, not compiled; ``--drop-vanished`` removes them),
and adds new texts as unfinished, with the translation of a similar vanished text of the same
context as a suggestion.  The .ts is the source of truth: edit it by hand or with Qt
Linguist, or round-trip the JSON of ``todo`` / ``apply``.

``check`` fails on: translatable calls this tool cannot read (non-literal arguments, calls
inside f-strings, ``tr`` outside a class), texts of the code missing from the catalogue (run
``update``), unfinished or empty translations, translations whose ``{placeholders}``, HTML tags
or numbers differ from the source, and a .qm that is not what ``release`` writes.
"""

from __future__ import annotations

import argparse
import ast
import difflib
import json
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: the packages whose strings are translated
SOURCE_DIRS = ("app", "views")
I18N_DIR = ROOT / "resources" / "i18n"
CATALOGUE = "backprop_lab"
SOURCE_LANGUAGE = "en"
#: the languages that have a catalogue (English is the source text)
LANGUAGES = ("zh_CN",)
#: a vanished translation is offered for a new text of its context at least this similar
SUGGEST_SIMILARITY = 0.75
#: names a translate() call can be reached through
_APPLICATIONS = {"QCoreApplication", "QGuiApplication", "QApplication"}

Key = tuple[str, str, str]  # context, source, comment


def ts_path(lang: str) -> Path:
    return I18N_DIR / f"{CATALOGUE}_{lang}.ts"


def qm_path(lang: str) -> Path:
    return I18N_DIR / f"{CATALOGUE}_{lang}.qm"


def _shown(path: Path) -> str:
    try:
        return path.relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)


def source_files() -> list[Path]:
    """Every Python file of SOURCE_DIRS, in a fixed order."""
    files = (path for folder in SOURCE_DIRS for path in (ROOT / folder).rglob("*.py"))
    return sorted((p for p in files if "__pycache__" not in p.parts), key=_shown)


# -- reading the code ---------------------------------------------------------------------
@dataclass(frozen=True)
class Found:
    """One translatable call in the code; ``problem`` says why it cannot be translated."""

    path: str
    line: int
    context: str
    source: str
    comment: str
    problem: str = ""
    numerus: bool = False

    @property
    def key(self) -> Key:
        return self.context, self.source, self.comment


def _is_application_translate(node: ast.expr | None) -> bool:
    """``QCoreApplication.translate``, ``QtCore.QCoreApplication.translate`` and the like."""
    if isinstance(node, ast.Attribute) and node.attr == "translate":
        receiver = node.value
        name = receiver.attr if isinstance(receiver, ast.Attribute) else getattr(receiver, "id", "")
        return name in _APPLICATIONS
    return False


def translate_aliases(tree: ast.AST) -> set[str]:
    """Names bound to the translate function (``tr = QtCore.QCoreApplication.translate``)."""
    names = {"translate"}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and _is_application_translate(node.value):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and _is_application_translate(node.value):
            if isinstance(node.target, ast.Name):
                names.add(node.target.id)
    return names


def context_helpers(tree: ast.AST, aliases: set[str]) -> tuple[dict[str, str], set[int]]:
    """Functions that only translate their argument in a fixed context, e.g.
    ``def _tr(text): return QCoreApplication.translate("TimelineBar", text)``: their names
    with that context, and the ids of the translate calls inside them."""
    helpers: dict[str, str] = {}
    inner: set[int] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef) or not node.args.args:
            continue
        body = [s for s in node.body if not (isinstance(s, ast.Expr) and _text(s.value) is not None)]
        if len(body) != 1 or not isinstance(body[0], ast.Return) or not isinstance(body[0].value, ast.Call):
            continue
        call = body[0].value
        is_translate = _is_application_translate(call.func) or (
            isinstance(call.func, ast.Name) and call.func.id in aliases
        )
        if is_translate and len(call.args) == 2 and _text(call.args[0]) is not None:
            argument = call.args[1]
            if isinstance(argument, ast.Name) and argument.id == node.args.args[0].arg:
                helpers[node.name] = _text(call.args[0]) or ""
                inner.add(id(call))
    return helpers, inner


def _text(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


class _Scanner(ast.NodeVisitor):
    def __init__(self, name: str, aliases: set[str], helpers: dict[str, str], inner: set[int]) -> None:
        self.name = name
        self.aliases = aliases
        self.helpers = helpers
        self.inner = inner
        self.classes: list[str] = []
        self.found: list[Found] = []

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.classes.append(node.name)
        self.generic_visit(node)
        self.classes.pop()

    def visit_Call(self, node: ast.Call) -> None:
        self._read(node)
        self.generic_visit(node)

    def _kind(self, func: ast.expr) -> str:
        if isinstance(func, ast.Name):
            if func.id in self.aliases:
                return "translate"
            if func.id in self.helpers:
                return "helper"
            return "noop" if func.id == "QT_TRANSLATE_NOOP" else ""
        if isinstance(func, ast.Attribute):
            if _is_application_translate(func):
                return "translate"
            if func.attr == "QT_TRANSLATE_NOOP":
                return "noop"
            if func.attr == "tr":
                return "tr"
        return ""

    def _read(self, node: ast.Call) -> None:
        kind = self._kind(node.func)
        if not kind or id(node) in self.inner:
            return
        args: list[ast.expr | None] = [*node.args, None, None, None, None]
        context: str | None
        if kind == "helper":
            context = self.helpers[getattr(node.func, "id", "")]
            source, comment_node, count = args[0], None, None
        elif kind == "tr":
            receiver = getattr(node.func, "value", None)
            context = self.classes[-1] if self.classes else None
            source, comment_node, count = args[0], args[1], args[2]
            if not (isinstance(receiver, ast.Name) and receiver.id in ("self", "cls")) or context is None:
                self._add(node, "", "", "", "tr() only on self inside a class; elsewhere use translate()")
                return
        else:
            context, source, comment_node, count = _text(args[0]), args[1], args[2], args[3]
        text, comment = _text(source), _text(comment_node)
        no_comment = comment_node is None or (isinstance(comment_node, ast.Constant) and comment_node.value is None)
        problem = ""
        if context is None or text is None or (comment is None and not no_comment) or node.keywords:
            problem = "needs literal strings (insert values afterwards with .format)"
        self._add(node, context or "", text or "", comment or "", problem, numerus=count is not None)

    def _add(
        self, node: ast.Call, context: str, source: str, comment: str, problem: str, *, numerus: bool = False
    ) -> None:
        self.found.append(Found(self.name, node.lineno, context, source, comment, problem, numerus))


def scan_text(code: str, name: str) -> list[Found]:
    """The translatable calls of one file's code, in the order they appear."""
    tree = ast.parse(code, filename=name)
    aliases = translate_aliases(tree)
    scanner = _Scanner(name, aliases, *context_helpers(tree, aliases))
    scanner.visit(tree)
    return sorted(scanner.found, key=lambda f: f.line)


def scan_sources() -> list[Found]:
    return [found for path in source_files() for found in scan_text(path.read_text(encoding="utf-8"), _shown(path))]


# -- the catalogue ------------------------------------------------------------------------
@dataclass(frozen=True)
class Message:
    context: str
    source: str
    comment: str = ""
    translation: str = ""
    kind: str = "unfinished"  # "" (finished), "unfinished", "vanished" or "obsolete"
    translator_comment: str = ""
    #: a plural message (translate(..., n)): Chinese has one form, kept in ``translation``
    numerus: bool = False

    @property
    def key(self) -> Key:
        return self.context, self.source, self.comment

    @property
    def live(self) -> bool:
        return self.kind not in ("vanished", "obsolete")


def read_ts(ts: Path) -> list[Message]:
    messages = []
    for context in ET.parse(ts).getroot().iter("context"):
        context_name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is None:
                raise SystemExit(f"{_shown(ts)}: a message without <translation>")
            forms = [form.text or "" for form in translation.iter("numerusform")]
            messages.append(
                Message(
                    context=context_name,
                    source=message.findtext("source") or "",
                    comment=message.findtext("comment") or "",
                    translation=forms[0] if forms else (translation.text or ""),
                    kind=translation.get("type", ""),
                    translator_comment=message.findtext("translatorcomment") or "",
                    numerus=message.get("numerus") == "yes",
                )
            )
    return messages


def _escape(text: str) -> str:
    """Text as lupdate writes it."""
    for raw, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"), ("'", "&apos;")):
        text = text.replace(raw, entity)
    return text


def write_ts(ts: Path, lang: str, messages: Iterable[Message]) -> None:
    """The catalogue in lupdate's layout: contexts by name, messages by source and comment."""
    by_context: dict[str, list[Message]] = {}
    for m in messages:
        by_context.setdefault(m.context, []).append(m)
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        "<!DOCTYPE TS>",
        f'<TS version="2.1" language="{lang}" sourcelanguage="{SOURCE_LANGUAGE}">',
    ]
    for context in sorted(by_context):
        lines += ["<context>", f"    <name>{_escape(context)}</name>"]
        for m in sorted(by_context[context], key=lambda m: (m.source, m.comment)):
            numerus = ' numerus="yes"' if m.numerus else ""
            lines += [f"    <message{numerus}>", f"        <source>{_escape(m.source)}</source>"]
            if m.comment:
                lines.append(f"        <comment>{_escape(m.comment)}</comment>")
            if m.translator_comment:
                lines.append(f"        <translatorcomment>{_escape(m.translator_comment)}</translatorcomment>")
            kind = f' type="{m.kind}"' if m.kind else ""
            if m.numerus:
                lines += [
                    f"        <translation{kind}>",
                    f"            <numerusform>{_escape(m.translation)}</numerusform>",
                    "        </translation>",
                    "    </message>",
                ]
            else:
                lines += [f"        <translation{kind}>{_escape(m.translation)}</translation>", "    </message>"]
        lines.append("</context>")
    lines.append("</TS>")
    ts.parent.mkdir(parents=True, exist_ok=True)
    ts.write_bytes(("\n".join(lines) + "\n").encode("utf-8"))


def merge(old: Iterable[Message], found: Iterable[Found], *, drop_vanished: bool = False) -> list[Message]:
    """The catalogue for the texts ``found`` in the code, keeping what ``old`` knew."""
    known = {m.key: m for m in old}
    in_code = {f.key: f for f in found if not f.problem}
    gone = [m for key, m in known.items() if key not in in_code and m.translation and m.kind != "unfinished"]
    merged = []
    for key in in_code:
        m = known.get(key)
        numerus = in_code[key].numerus
        if m is None:
            merged.append(Message(*key, translation=_suggestion(key, gone), numerus=numerus))
        elif not m.live:  # back in the code: the translation was finished when it left
            merged.append(replace(m, kind="", numerus=numerus))
        else:
            merged.append(replace(m, numerus=numerus))
    if not drop_vanished:
        merged += [replace(m, kind="vanished") for m in gone]
    return merged


def _suggestion(key: Key, gone: list[Message]) -> str:
    best, score = "", SUGGEST_SIMILARITY
    for m in gone:
        if m.context == key[0]:
            ratio = difflib.SequenceMatcher(None, m.source, key[1]).ratio()
            if ratio >= score:
                best, score = m.translation, ratio
    return best


# -- what a translation must keep ---------------------------------------------------------
_PLACEHOLDER = re.compile(r"\{[^{}]*\}|%n")
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def placeholders(text: str) -> Counter[str]:
    """The ``str.format`` fields of ``text`` (``{{`` and ``}}`` are literal braces) and the
    ``%n`` of a plural text."""
    return Counter(_PLACEHOLDER.findall(text.replace("{{", "").replace("}}", "")))


def tags(text: str) -> Counter[str]:
    return Counter(_TAG.findall(text))


def numbers(text: str) -> Counter[str]:
    return Counter(_NUMBER.findall(_PLACEHOLDER.sub("", _TAG.sub("", text))))


def translation_problems(message: Message) -> list[str]:
    if message.kind == "unfinished":
        return ["unfinished" + (f" (suggestion: {message.translation!r})" if message.translation else "")]
    if not message.translation.strip():
        return ["empty translation"]
    problems = []
    for what, count in (("placeholders", placeholders), ("HTML tags", tags), ("numbers", numbers)):
        if count(message.source) != count(message.translation):
            source, target = sorted(count(message.source).elements()), sorted(count(message.translation).elements())
            problems.append(f"{what} differ: source {source}, translation {target}")
    return problems


def _describe(key: Key) -> str:
    context, source, comment = key
    return f"{context}: {source!r}" + (f" ({comment})" if comment else "")


# -- lrelease ----------------------------------------------------------------------------
def lrelease() -> str | None:
    """pyside6-lrelease next to this interpreter, else on PATH (None when neither exists)."""
    beside = Path(sys.executable).parent / "pyside6-lrelease"
    return str(beside) if beside.is_file() else shutil.which("pyside6-lrelease")


def run_lrelease(ts: Path, qm: Path) -> None:
    tool = lrelease()
    if tool is None:
        raise SystemExit("pyside6-lrelease not found (it comes with the PySide6-Essentials wheel)")
    done = subprocess.run([tool, "-silent", str(ts), "-qm", str(qm)], capture_output=True, text=True, check=False)
    if done.returncode != 0 or not qm.is_file():
        raise SystemExit(f"lrelease failed:\n{done.stdout}{done.stderr}")


def qm_is_current(lang: str) -> bool | None:
    """Whether the committed .qm is byte for byte what ``release`` writes (None: no lrelease)."""
    if lrelease() is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "fresh.qm"
        run_lrelease(ts_path(lang), fresh)
        return qm_path(lang).is_file() and fresh.read_bytes() == qm_path(lang).read_bytes()


# -- commands -----------------------------------------------------------------------------
def _problems_in_code(found: list[Found]) -> list[str]:
    return [f"{f.path}:{f.line}: {f.problem}" for f in found if f.problem]


def update(langs: Iterable[str], *, drop_vanished: bool = False) -> int:
    found = scan_sources()
    for line in _problems_in_code(found):
        print(f"skipped {line}")
    for lang in langs:
        ts = ts_path(lang)
        old = read_ts(ts) if ts.is_file() else []
        merged = merge(old, found, drop_vanished=drop_vanished)
        write_ts(ts, lang, merged)
        live = [m for m in merged if m.live]
        before = {m.key for m in old if m.live}
        added = sum(1 for m in live if m.key not in before)
        vanished = sum(1 for m in merged if not m.live)
        todo_count = sum(1 for m in live if translation_problems(m))
        print(
            f"{_shown(ts)}: {len(live)} messages ({added} new), {len(live) - todo_count} translated, "
            f"{vanished} vanished kept"
        )
        if todo_count:
            print(f"  {todo_count} to translate: `todo FILE`, fill it in, `apply FILE`, `release`")
    return 0


def todo(langs: Iterable[str], out: Path | None) -> int:
    """The messages still to translate as a JSON list (``translation`` left empty)."""
    entries = []
    for lang in langs:
        for m in read_ts(ts_path(lang)):
            problems = translation_problems(m) if m.live else []
            if problems:
                entry = {"lang": lang, "context": m.context, "source": m.source}
                if m.comment:
                    entry["comment"] = m.comment
                if m.translation:
                    entry["suggestion" if m.kind == "unfinished" else "current"] = m.translation
                    if m.kind != "unfinished":
                        entry["problem"] = "; ".join(problems)
                entry["translation"] = ""
                entries.append(entry)
    text = json.dumps(entries, ensure_ascii=False, indent=2) + "\n"
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
        print(f"{len(entries)} messages to translate written to {out}")
    return 0


def apply(path: Path) -> int:
    """Write the non-empty translations of a filled-in ``todo`` JSON into the catalogues."""
    entries = json.loads(path.read_text(encoding="utf-8"))
    failed = 0
    by_lang: dict[str, dict[Key, str]] = {}
    for entry in entries:
        text = entry.get("translation", "")
        if not text:
            continue
        key = (entry["context"], entry["source"], entry.get("comment", ""))
        problems = translation_problems(Message(*key, translation=text, kind=""))
        if problems:
            failed += 1
            print(f"not applied: {_describe(key)}: {'; '.join(problems)}")
            continue
        by_lang.setdefault(entry.get("lang", LANGUAGES[0]), {})[key] = text
    for lang, translations in sorted(by_lang.items()):
        ts = ts_path(lang)
        messages = read_ts(ts)
        known = {m.key for m in messages if m.live}
        for key in sorted(set(translations) - known):
            failed += 1
            print(f"not in {ts.name} (run update first?): {_describe(key)}")
        filled = [
            replace(m, translation=translations[m.key], kind="") if m.live and m.key in translations else m
            for m in messages
        ]
        write_ts(ts, lang, filled)
        print(f"{_shown(ts)}: {len(set(translations) & known)} translations written")
    return 1 if failed else 0


def release(langs: Iterable[str]) -> int:
    for lang in langs:
        ts, qm = ts_path(lang), qm_path(lang)
        run_lrelease(ts, qm)
        print(f"{_shown(qm)} written ({qm.stat().st_size} bytes)")
    return 0


def check(langs: Iterable[str]) -> int:
    found = scan_sources()
    errors = _problems_in_code(found)
    in_code = {f.key: f for f in found if not f.problem}
    for lang in langs:
        ts = ts_path(lang)
        if not ts.is_file():
            errors.append(f"{_shown(ts)} is missing: run update")
            continue
        messages = [m for m in read_ts(ts) if m.live]
        in_catalogue = {m.key for m in messages}
        for key in sorted(set(in_code) - in_catalogue):
            errors.append(f"{in_code[key].path}:{in_code[key].line}: not in {ts.name} (run update): {_describe(key)}")
        for m in messages:
            errors.extend(f"{_shown(ts)}: {_describe(m.key)}: {problem}" for problem in translation_problems(m))
        stale = in_catalogue - set(in_code)
        if stale:
            print(f"note: {len(stale)} message(s) of {ts.name} are no longer in the code (update marks them vanished)")
        current = qm_is_current(lang)
        if current is None:
            print("note: pyside6-lrelease not found, the .qm was not compared with the .ts")
        elif not current:
            errors.append(f"{_shown(qm_path(lang))} is not compiled from the .ts: run release")
        done = sum(1 for m in messages if not translation_problems(m))
        print(f"{_shown(ts)}: {len(messages)} messages, {done} translated")
    for error in errors:
        print(error)
    print(f"{len(errors)} problem(s)" if errors else "ok")
    return 1 if errors else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lang", action="append", choices=LANGUAGES, help="only this language (default: all)")
    commands = parser.add_subparsers(dest="command", required=True)
    update_parser = commands.add_parser("update", help="extract the texts of app/ and views/ into the .ts files")
    update_parser.add_argument("--drop-vanished", action="store_true", help="forget texts no longer in the code")
    todo_parser = commands.add_parser("todo", help="the messages still to translate, as JSON")
    todo_parser.add_argument("out", nargs="?", type=Path, help="write to this file (default: stdout)")
    apply_parser = commands.add_parser("apply", help="write the translations of a filled-in todo JSON")
    apply_parser.add_argument("json", type=Path)
    commands.add_parser("release", help="compile the .ts files to .qm")
    commands.add_parser("check", help="exit 1 listing missing, unfinished or inconsistent translations")
    args = parser.parse_args(argv)
    langs = tuple(args.lang or LANGUAGES)
    if args.command == "update":
        return update(langs, drop_vanished=args.drop_vanished)
    if args.command == "todo":
        return todo(langs, args.out)
    if args.command == "apply":
        return apply(args.json)
    if args.command == "release":
        return release(langs)
    return check(langs)


if __name__ == "__main__":
    sys.exit(main())
