<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>ActivationFunctionView</name>
    <message numerus="yes">
        <source>%n layer(s)</source>
        <translation>
            <numerusform>%n 层</numerusform>
        </translation>
    </message>
    <message>
        <source>Activation function</source>
        <translation>激活函数</translation>
    </message>
    <message>
        <source>f (blue) and its derivative f′ (red) over x ∈ [−5, 5]. The dashed line is the largest f′ can be: backprop multiplies one f′ per layer, so the gradient reaching layer 1 is scaled by at most (max f′)&lt;sup&gt;depth&lt;/sup&gt;.&lt;br&gt;Grey: where the hidden layers&apos; current pre-activations fall (all layers together); the share says how many sit where f′ is below 10% of its maximum (saturated: hardly any gradient passes).</source>
        <translation>f（蓝）及其导数 f′（红），x ∈ [−5, 5]。虚线是 f′ 能取到的最大值：反向传播每经过一层就乘一个 f′，所以到达第 1 层的梯度至多被缩放为 (max f′)&lt;sup&gt;深度&lt;/sup&gt;。&lt;br&gt;灰色：各隐藏层当前预激活值的分布（所有层合计）；比例表示其中有多少落在 f′ 低于其最大值 10% 的区域（饱和：几乎没有梯度能通过）。</translation>
    </message>
    <message>
        <source>max f′ = {value}</source>
        <translation>f′ 最大值 = {value}</translation>
    </message>
    <message>
        <source>pre-activation x</source>
        <translation>预激活值 x</translation>
    </message>
    <message>
        <source>pre-activations</source>
        <translation>预激活值</translation>
    </message>
    <message>
        <source>pre-activations now</source>
        <translation>当前预激活值</translation>
    </message>
    <message>
        <source>pre-activations now (hidden layers)</source>
        <translation>当前预激活值（隐藏层）</translation>
    </message>
    <message>
        <source>{share} of pre-activations where f′ &amp;lt; 10% of max</source>
        <translation>{share} 的预激活值落在 f′ &amp;lt; 最大值 10% 的区域</translation>
    </message>
    <message>
        <source>{share} of pre-activations: f′ &amp;lt; 10% of max</source>
        <translation>{share} 的预激活值：f′ &amp;lt; 最大值的 10%</translation>
    </message>
    <message>
        <source>{share} saturated</source>
        <translation>{share} 饱和</translation>
    </message>
    <message>
        <source>{share} with f′ &amp;lt; 10% of max</source>
        <translation>{share} 的 f′ &amp;lt; 最大值的 10%</translation>
    </message>
</context>
<context>
    <name>ActivationsView</name>
    <message>
        <source>% of units</source>
        <translation>单元占比 %</translation>
    </message>
    <message>
        <source>Activations</source>
        <translation>激活值</translation>
    </message>
    <message>
        <source>Activations per hidden layer</source>
        <translation>各隐藏层的激活值</translation>
    </message>
    <message>
        <source>Activations per layer</source>
        <translation>各层的激活值</translation>
    </message>
    <message>
        <source>Left: histogram of each hidden layer&apos;s activations (layer 1 on top), scaled to its own peak; the shaded band is where the activation is saturated (f′ &amp;lt; 10% of its maximum), so hardly any gradient passes.</source>
        <translation>左：各隐藏层激活值的直方图（第 1 层在最上方），各自按峰值缩放；阴影带是激活饱和的区域（f′ &amp;lt; 其最大值的 10%），几乎没有梯度能通过。</translation>
    </message>
    <message>
        <source>Right: share of the layer&apos;s units that are {kinds} (dead: zero for every input of the batch). A dashed outline or hatched bar means inf/NaN.</source>
        <translation>右：该层中处于 {kinds} 状态的单元占比（死亡：对批次中的每个输入都输出零）。虚线轮廓或斜线填充的条表示 inf/NaN。</translation>
    </message>
    <message>
        <source>activation</source>
        <translation>激活值</translation>
    </message>
    <message>
        <source>activation value</source>
        <translation>激活值</translation>
    </message>
    <message>
        <source>dead</source>
        <translation>死亡</translation>
    </message>
    <message>
        <source>f′ &amp;lt; 10% of max</source>
        <translation>f′ &amp;lt; 最大值的 10%</translation>
    </message>
    <message>
        <source>sat.</source>
        <translation>饱和</translation>
    </message>
    <message>
        <source>saturated</source>
        <translation>饱和</translation>
    </message>
    <message>
        <source>value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>zero</source>
        <translation>零</translation>
    </message>
</context>
<context>
    <name>CompareFileMenu</name>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>Activations instead of decision regions (dead and saturated units)</source>
        <translation>以激活代替决策区域（死亡与饱和的单元）</translation>
    </message>
    <message>
        <source>CSV table (*.csv)</source>
        <translation type="vanished">CSV 表格 (*.csv)</translation>
    </message>
    <message>
        <source>Export every run&apos;s metrics</source>
        <translation>导出每个运行的指标</translation>
    </message>
    <message>
        <source>Export every run&apos;s metrics (CSV)…</source>
        <translation>导出每个运行的指标（CSV）…</translation>
    </message>
    <message>
        <source>Export every run&apos;s metrics (JSON)…</source>
        <translation>导出每个运行的指标（JSON）…</translation>
    </message>
    <message>
        <source>JSON (*.json)</source>
        <translation type="vanished">JSON (*.json)</translation>
    </message>
    <message>
        <source>Saved {path}.</source>
        <translation type="vanished">已保存 {path}。</translation>
    </message>
</context>
<context>
    <name>CompareGradientsView</name>
    <message>
        <source>Gradient by layer</source>
        <translation>各层梯度</translation>
    </message>
    <message>
        <source>{name}: {quantity} per layer (input left → output right)</source>
        <translation>{name}：各层的{quantity}（左为输入 → 右为输出）</translation>
    </message>
    <message>
        <source>{name}: {quantity}, the backprop signal reaching each layer (input L1 left → output right)</source>
        <translation>{name}：{quantity}，即到达每一层的反向传播信号（左为输入 L1 → 右为输出）</translation>
    </message>
</context>
<context>
    <name>CompareRecording</name>
    <message>
        <source>Record GIF or MP4…</source>
        <translation type="vanished">录制 GIF 或 MP4…</translation>
    </message>
    <message>
        <source>Recording {path}: {frames} frames at {fps} fps…</source>
        <translation type="vanished">正在录制 {path}：{frames} 帧，每秒 {fps} 帧…</translation>
    </message>
    <message>
        <source>Saved {path} ({frames} frames).</source>
        <translation type="vanished">已保存 {path}（{frames} 帧）。</translation>
    </message>
    <message>
        <source>Stop recording</source>
        <translation type="vanished">停止录制</translation>
    </message>
</context>
<context>
    <name>CompareWindow</name>
    <message>
        <source>, </source>
        <comment>separator between the items of a list</comment>
        <translation>、</translation>
    </message>
    <message>
        <source>Copied to the clipboard.</source>
        <translation>已复制到剪贴板。</translation>
    </message>
    <message>
        <source>Copy (Ctrl+Shift+C)</source>
        <translation>复制 (Ctrl+Shift+C)</translation>
    </message>
    <message>
        <source>Every run diverged: reset (R) to start again.</source>
        <translation>所有运行都已发散：按 R 重置以重新开始。</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <source>Reset: fresh networks from the same seeds.</source>
        <translation>已重置：用相同的随机种子重新构建网络。</translation>
    </message>
    <message>
        <source>Same seed {seed}; the runs differ only in: {settings}.</source>
        <translation>随机种子相同（{seed}）；各运行仅在以下设置上不同：{settings}。</translation>
    </message>
    <message>
        <source>Same {dataset} data and seed {seed}; the runs differ only in: {settings}.</source>
        <translation>数据集（{dataset}）和随机种子（{seed}）相同；各运行仅在以下设置上不同：{settings}。</translation>
    </message>
    <message>
        <source>Same {dataset} data; the runs differ only in: {settings}.</source>
        <translation>数据集（{dataset}）相同；各运行仅在以下设置上不同：{settings}。</translation>
    </message>
    <message>
        <source>Save a picture of the comparison</source>
        <translation>保存对比图</translation>
    </message>
    <message>
        <source>Save picture… (Ctrl+E)</source>
        <translation>保存图片… (Ctrl+E)</translation>
    </message>
    <message>
        <source>Saved {path}.</source>
        <translation>已保存 {path}。</translation>
    </message>
    <message>
        <source>The runs differ in: {settings}.</source>
        <translation>各运行在以下设置上不同：{settings}。</translation>
    </message>
    <message>
        <source>The runs have identical settings.</source>
        <translation>各运行的设置完全相同。</translation>
    </message>
    <message>
        <source>activation</source>
        <translation>激活函数</translation>
    </message>
    <message>
        <source>baseline</source>
        <translation>基线</translation>
    </message>
    <message>
        <source>batch norm</source>
        <translation>批归一化</translation>
    </message>
    <message>
        <source>batch size</source>
        <translation>批大小</translation>
    </message>
    <message>
        <source>classes</source>
        <translation>类别数</translation>
    </message>
    <message>
        <source>current: {settings}</source>
        <translation>当前：{settings}</translation>
    </message>
    <message>
        <source>dataset</source>
        <translation>数据集</translation>
    </message>
    <message>
        <source>depth</source>
        <translation>深度</translation>
    </message>
    <message>
        <source>grad</source>
        <comment>a tab: a run&apos;s gradient view</comment>
        <translation>梯度</translation>
    </message>
    <message>
        <source>grad clip norm</source>
        <translation>梯度裁剪（范数）</translation>
    </message>
    <message>
        <source>grad clip value</source>
        <translation>梯度裁剪（数值）</translation>
    </message>
    <message>
        <source>gradients</source>
        <translation>梯度</translation>
    </message>
    <message>
        <source>init</source>
        <translation>初始化</translation>
    </message>
    <message>
        <source>init scale</source>
        <translation>初始化缩放</translation>
    </message>
    <message>
        <source>leaky slope</source>
        <translation>泄漏斜率</translation>
    </message>
    <message>
        <source>learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>损失函数</translation>
    </message>
    <message>
        <source>loss</source>
        <comment>a tab: a run&apos;s loss and output views</comment>
        <translation>损失</translation>
    </message>
    <message>
        <source>loss and activations</source>
        <translation>损失与激活值</translation>
    </message>
    <message>
        <source>loss and output</source>
        <translation>损失与输出</translation>
    </message>
    <message>
        <source>momentum</source>
        <translation>动量</translation>
    </message>
    <message>
        <source>n samples</source>
        <translation>样本数</translation>
    </message>
    <message>
        <source>nesterov</source>
        <translation>Nesterov 动量</translation>
    </message>
    <message>
        <source>no {setting}</source>
        <translation>无{setting}</translation>
    </message>
    <message>
        <source>noise</source>
        <translation>噪声</translation>
    </message>
    <message>
        <source>optimizer</source>
        <translation>优化器</translation>
    </message>
    <message>
        <source>pretrain epochs</source>
        <translation>预训练轮数</translation>
    </message>
    <message>
        <source>residual</source>
        <translation>残差连接</translation>
    </message>
    <message>
        <source>seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>test fraction</source>
        <translation>测试集比例</translation>
    </message>
    <message>
        <source>weight decay</source>
        <translation>权重衰减</translation>
    </message>
    <message>
        <source>width</source>
        <translation>宽度</translation>
    </message>
    <message>
        <source>{app} — Compare: {runs}</source>
        <translation>{app} — 对比：{runs}</translation>
    </message>
    <message>
        <source>{runs}: {views}</source>
        <translation>{runs}：{views}</translation>
    </message>
    <message>
        <source>✕ Close (Esc)</source>
        <translation>✕ 关闭 (Esc)</translation>
    </message>
</context>
<context>
    <name>ControlPanel</name>
    <message>
        <source>Activation</source>
        <translation>激活函数</translation>
    </message>
    <message>
        <source>Architecture (changes rebuild the network)</source>
        <translation>网络结构（修改后重建网络）</translation>
    </message>
    <message>
        <source>Batch norm</source>
        <translation>批归一化</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>批大小</translation>
    </message>
    <message>
        <source>Bias init std (σ_b)</source>
        <translation>偏置初始化标准差 (σ_b)</translation>
    </message>
    <message>
        <source>Clip grad norm</source>
        <translation>梯度裁剪（范数）</translation>
    </message>
    <message>
        <source>Clip grad value</source>
        <translation>梯度裁剪（数值）</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <source>Dataset</source>
        <translation>数据集</translation>
    </message>
    <message>
        <source>Hidden layers</source>
        <translation>隐藏层数</translation>
    </message>
    <message>
        <source>Init scale (gain)</source>
        <translation>初始化缩放（增益）</translation>
    </message>
    <message>
        <source>Initialisation</source>
        <translation>初始化</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>损失函数</translation>
    </message>
    <message>
        <source>Momentum</source>
        <translation>动量</translation>
    </message>
    <message>
        <source>Optimiser</source>
        <translation>优化器</translation>
    </message>
    <message>
        <source>Optimiser (applies live)</source>
        <translation>优化器（实时生效）</translation>
    </message>
    <message>
        <source>Pre-training epochs / layer</source>
        <translation>每层预训练轮数</translation>
    </message>
    <message>
        <source>Remedies (rebuild)</source>
        <translation>补救措施（重建网络）</translation>
    </message>
    <message>
        <source>Residual (skip) connections</source>
        <translation>残差（跳跃）连接</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>Units per layer</source>
        <translation>每层单元数</translation>
    </message>
</context>
<context>
    <name>EngineNotice</name>
    <message>
        <source>A fresh training engine started from the configuration.</source>
        <translation>已按当前配置启动新的训练引擎。</translation>
    </message>
    <message>
        <source>Engine not responding ({seconds} s): press Restart engine.</source>
        <translation>引擎无响应（{seconds} 秒）：请按“重启引擎”。</translation>
    </message>
    <message>
        <source>Engine stopped ({reason}): Play, Step or Reset starts a fresh one.</source>
        <translation>引擎已停止（{reason}）：按播放、单步或重置将启动新引擎。</translation>
    </message>
    <message>
        <source>Paused in the background: press Space (Play) to go on.</source>
        <translation>已在后台暂停：按空格（播放）继续。</translation>
    </message>
    <message>
        <source>The training engine is not responding (silent for {seconds} s). Press Restart engine to start a fresh one from the configuration, or wait.</source>
        <translation>训练引擎无响应（已 {seconds} 秒没有消息）。按“重启引擎”按当前配置启动新引擎，或继续等待。</translation>
    </message>
    <message>
        <source>The training engine stopped ({reason}). Press Play, Step or Reset to start a fresh one from the configuration; the history so far stays visible and can be exported.</source>
        <translation>训练引擎已停止（{reason}）。按播放、单步或重置将按当前配置启动新引擎；已有的历史记录仍然显示，并且可以导出。</translation>
    </message>
    <message>
        <source>exit status {code}</source>
        <translation>退出状态 {code}</translation>
    </message>
    <message>
        <source>killed by {signal}</source>
        <translation>被 {signal} 终止</translation>
    </message>
    <message>
        <source>no answer</source>
        <translation>无应答</translation>
    </message>
</context>
<context>
    <name>Engines</name>
    <message>
        <source>Too many runs at once: {running} are running and this needs {count} more, but this machine runs at most {limit} ({cores} cores). Close a compare window first.</source>
        <translation>同时运行的训练过多：已有 {running} 个在运行，此操作还需要 {count} 个，但本机最多运行 {limit} 个（{cores} 个核心）。请先关闭一个对比窗口。</translation>
    </message>
</context>
<context>
    <name>GradientsView</name>
    <message>
        <source>Gradients</source>
        <translation>梯度</translation>
    </message>
    <message>
        <source>backprop signal</source>
        <translation>反向传播信号</translation>
    </message>
    <message>
        <source>dead</source>
        <translation>网络已死</translation>
    </message>
    <message>
        <source>diverged</source>
        <translation>已发散</translation>
    </message>
    <message>
        <source>exploding</source>
        <translation>梯度爆炸</translation>
    </message>
    <message>
        <source>healthy</source>
        <translation>梯度正常</translation>
    </message>
    <message>
        <source>no gradient in L1</source>
        <translation>L1 没有梯度</translation>
    </message>
    <message>
        <source>no gradient in {layer}</source>
        <translation>{layer} 没有梯度</translation>
    </message>
    <message>
        <source>none in L1…{layer}</source>
        <translation>L1…{layer} 全无梯度</translation>
    </message>
    <message>
        <source>overflow: inf/NaN</source>
        <translation>溢出：inf/NaN</translation>
    </message>
    <message>
        <source>pre-training</source>
        <translation>预训练中</translation>
    </message>
    <message>
        <source>training step</source>
        <translation>训练步数</translation>
    </message>
    <message>
        <source>vanishing</source>
        <translation>梯度消失</translation>
    </message>
    <message>
        <source>weights</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>{quantity} over training</source>
        <translation>训练过程中的{quantity}</translation>
    </message>
    <message>
        <source>{quantity} per layer over training</source>
        <translation>训练过程中各层的{quantity}</translation>
    </message>
</context>
<context>
    <name>LossView</name>
    <message>
        <source>Accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <source>Cross-entropy loss (log scale)</source>
        <translation>交叉熵损失（对数刻度）</translation>
    </message>
    <message>
        <source>Cross-entropy loss (log)</source>
        <translation>交叉熵损失（对数）</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>Loss (log scale)</source>
        <translation>损失（对数刻度）</translation>
    </message>
    <message>
        <source>Loss (log)</source>
        <translation>损失（对数）</translation>
    </message>
    <message>
        <source>MSE loss (log scale)</source>
        <translation>均方误差损失（对数刻度）</translation>
    </message>
    <message>
        <source>MSE loss (log)</source>
        <translation>均方误差损失（对数）</translation>
    </message>
    <message>
        <source>test</source>
        <translation>测试</translation>
    </message>
    <message>
        <source>train</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>training step</source>
        <translation>训练步数</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>   test acc {acc}</source>
        <translation>   测试准确率 {acc}</translation>
    </message>
    <message>
        <source>  (phase diagram)</source>
        <translation>  （相图）</translation>
    </message>
    <message>
        <source>  ({n} runs, compare)</source>
        <translation>  （{n} 个运行，对比）</translation>
    </message>
    <message>
        <source>&amp;Bigger text and lines</source>
        <translation>放大文字和线条(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Compare</source>
        <translation>对比(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Dark theme</source>
        <translation>深色主题(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Full screen</source>
        <translation>全屏(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>键盘快捷键(&amp;K)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Lecture</source>
        <translation>课堂(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Light theme</source>
        <translation>浅色主题(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Normal size</source>
        <translation>正常大小(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Open config…</source>
        <translation>打开配置(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Play / pause</source>
        <translation>开始 / 暂停(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Quit	Ctrl+Q</source>
        <translation type="vanished">退出(&amp;Q)	Ctrl+Q</translation>
    </message>
    <message>
        <source>&amp;Reset</source>
        <translation>重置(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Save config as…</source>
        <translation>配置另存为(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Scenes</source>
        <translation>场景(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Toggle light/dark theme</source>
        <translation>切换浅色/深色主题(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Training</source>
        <translation>训练(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>Activation function</source>
        <translation>激活函数</translation>
    </message>
    <message>
        <source>Activations</source>
        <translation>激活值</translation>
    </message>
    <message>
        <source>Backprop Lab — backward pass, layer by layer</source>
        <translation>Backprop Lab — 逐层查看反向传播</translation>
    </message>
    <message>
        <source>Backprop Lab — watch gradients vanish and explode</source>
        <translation>Backprop Lab — 观察梯度消失与梯度爆炸</translation>
    </message>
    <message>
        <source>Backward pass walk-through</source>
        <translation>反向传播逐层演示</translation>
    </message>
    <message>
        <source>Backward pass walk-through (W)</source>
        <translation type="vanished">反向传播逐层演示 (W)</translation>
    </message>
    <message>
        <source>Building the network…</source>
        <translation>正在构建网络…</translation>
    </message>
    <message>
        <source>CSV table (*.csv)</source>
        <translation type="vanished">CSV 表格 (*.csv)</translation>
    </message>
    <message>
        <source>Cannot open this file</source>
        <translation>无法打开此文件</translation>
    </message>
    <message>
        <source>Config (*.json)</source>
        <translation>配置 (*.json)</translation>
    </message>
    <message>
        <source>Configs and exported pictures (*.json *.png)</source>
        <translation>配置和导出的图片 (*.json *.png)</translation>
    </message>
    <message>
        <source>Copied to the clipboard.</source>
        <translation>已复制到剪贴板。</translation>
    </message>
    <message>
        <source>Copy to clipboard</source>
        <translation>复制到剪贴板</translation>
    </message>
    <message>
        <source>Copy window to clipboard</source>
        <translation>复制窗口到剪贴板</translation>
    </message>
    <message>
        <source>Current run vs ReLU + He, batch norm and residual</source>
        <translation>当前运行 vs ReLU + He、批归一化和残差连接</translation>
    </message>
    <message>
        <source>Current run vs {label}</source>
        <translation>当前运行 vs {label}</translation>
    </message>
    <message>
        <source>Experiment</source>
        <translation>实验</translation>
    </message>
    <message>
        <source>Export PNG</source>
        <translation>导出 PNG</translation>
    </message>
    <message>
        <source>Export SVG</source>
        <translation>导出 SVG</translation>
    </message>
    <message>
        <source>Export metrics</source>
        <translation>导出指标</translation>
    </message>
    <message>
        <source>Export one view</source>
        <translation>导出单个视图</translation>
    </message>
    <message>
        <source>Export window as PNG</source>
        <translation>将窗口导出为 PNG</translation>
    </message>
    <message>
        <source>Gradients by layer</source>
        <translation>各层梯度</translation>
    </message>
    <message>
        <source>JSON (*.json)</source>
        <translation type="vanished">JSON (*.json)</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>Leaky ReLU + He init</source>
        <translation>Leaky ReLU + He 初始化</translation>
    </message>
    <message>
        <source>Loaded a new configuration.</source>
        <translation>已载入新配置。</translation>
    </message>
    <message>
        <source>Loaded {path}.</source>
        <translation>已载入 {path}。</translation>
    </message>
    <message>
        <source>Loss and accuracy</source>
        <translation>损失与准确率</translation>
    </message>
    <message>
        <source>Metrics as CSV…</source>
        <translation>指标导出为 CSV…</translation>
    </message>
    <message>
        <source>Metrics as JSON…</source>
        <translation>指标导出为 JSON…</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>网络</translation>
    </message>
    <message>
        <source>No scene is loaded: the Scenes menu has captions.</source>
        <translation>尚未载入场景：“场景”菜单里的场景都带有说明。</translation>
    </message>
    <message>
        <source>One &amp;step</source>
        <translation>训练一步(&amp;S)</translation>
    </message>
    <message>
        <source>Open a config</source>
        <translation>打开配置</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>PNG at 3840×2160 (4K)…</source>
        <translation>PNG，3840×2160 (4K)…</translation>
    </message>
    <message>
        <source>PNG at double size (2×)…</source>
        <translation>PNG，双倍尺寸 (2×)…</translation>
    </message>
    <message>
        <source>PNG at screen size (1×)…</source>
        <translation>PNG，屏幕尺寸 (1×)…</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>PNG 图片 (*.png)</translation>
    </message>
    <message>
        <source>PRE-TRAINING layer {k} of {n} as an autoencoder (greedy, layer-wise) — supervised training follows</source>
        <translation>预训练：第 {k} / {n} 层作为自编码器训练（贪心、逐层）— 之后进行有监督训练</translation>
    </message>
    <message>
        <source>Phase diagram…</source>
        <translation>相图…</translation>
    </message>
    <message>
        <source>Preferences not saved</source>
        <translation>偏好设置未保存</translation>
    </message>
    <message>
        <source>Press any key to close</source>
        <translation>按任意键关闭</translation>
    </message>
    <message>
        <source>ReLU + He init</source>
        <translation>ReLU + He 初始化</translation>
    </message>
    <message>
        <source>Record GIF or MP4…</source>
        <translation type="vanished">录制 GIF 或 MP4…</translation>
    </message>
    <message>
        <source>Recording not saved</source>
        <translation type="vanished">录制未保存</translation>
    </message>
    <message>
        <source>Recording {path}: {frames} frames at {fps} fps…</source>
        <translation type="vanished">正在录制 {path}：{frames} 帧，每秒 {fps} 帧…</translation>
    </message>
    <message>
        <source>Reset: a fresh network from the same seed.</source>
        <translation>已重置：用相同的随机种子重新构建网络。</translation>
    </message>
    <message>
        <source>S or →</source>
        <translation type="vanished">S 或 →</translation>
    </message>
    <message>
        <source>S&amp;maller text and lines</source>
        <translation>缩小文字和线条(&amp;M)</translation>
    </message>
    <message>
        <source>SVG drawing (*.svg)</source>
        <translation>SVG 矢量图 (*.svg)</translation>
    </message>
    <message>
        <source>SVG…</source>
        <translation>SVG…</translation>
    </message>
    <message>
        <source>Save the config</source>
        <translation>保存配置</translation>
    </message>
    <message>
        <source>Saved {path} (its config is inside, and in {path}.json).</source>
        <translation>已保存 {path}（其中包含配置，另存于 {path}.json）。</translation>
    </message>
    <message>
        <source>Saved {path}.</source>
        <translation>已保存 {path}。</translation>
    </message>
    <message>
        <source>Saved {path}: {frames} frames, {seconds} s (its config is in {path}.json).</source>
        <translation type="vanished">已保存 {path}：{frames} 帧，{seconds} 秒（配置保存在 {path}.json 中）。</translation>
    </message>
    <message>
        <source>Show &amp;controls</source>
        <translation>显示控制面板(&amp;C)</translation>
    </message>
    <message>
        <source>Show scene &amp;caption</source>
        <translation>显示场景说明(&amp;C)</translation>
    </message>
    <message>
        <source>Space</source>
        <translation>空格</translation>
    </message>
    <message>
        <source>Stop recording</source>
        <translation type="vanished">停止录制</translation>
    </message>
    <message>
        <source>The run diverged: reset (R) to start again.</source>
        <translation>训练已发散：按 R 重置以重新开始。</translation>
    </message>
    <message>
        <source>The walk-through needs a live run.</source>
        <translation>逐层演示需要一个正在运行的训练。</translation>
    </message>
    <message>
        <source>Walk-through: → next layer, ← back, End all, Esc close.</source>
        <translation>逐层演示：→ 下一层，← 上一层，End 显示全部，Esc 关闭。</translation>
    </message>
    <message>
        <source>batch norm</source>
        <translation>批归一化</translation>
    </message>
    <message>
        <source>bigger / smaller / normal text and lines</source>
        <translation type="vanished">放大 / 缩小 / 恢复文字和线条</translation>
    </message>
    <message>
        <source>bigger text and lines</source>
        <translation>放大文字和线条</translation>
    </message>
    <message>
        <source>copy the window to the clipboard</source>
        <translation>复制窗口到剪贴板</translation>
    </message>
    <message>
        <source>full screen</source>
        <translation>全屏</translation>
    </message>
    <message>
        <source>gradient clipping (norm 1)</source>
        <translation>梯度裁剪（范数 1）</translation>
    </message>
    <message>
        <source>hide or show the controls (views only)</source>
        <translation>隐藏或显示控制面板（只看视图）</translation>
    </message>
    <message>
        <source>hide or show the scene caption</source>
        <translation>隐藏或显示场景说明</translation>
    </message>
    <message>
        <source>light / dark theme</source>
        <translation>浅色 / 深色主题</translation>
    </message>
    <message>
        <source>loss {loss}</source>
        <translation>损失 {loss}</translation>
    </message>
    <message>
        <source>normal text and lines</source>
        <translation>文字和线条恢复正常大小</translation>
    </message>
    <message>
        <source>one training step</source>
        <translation>训练一步</translation>
    </message>
    <message>
        <source>open / save a config (or drop a config file on the window)</source>
        <translation type="vanished">打开 / 保存配置（或把配置文件拖到窗口上）</translation>
    </message>
    <message>
        <source>open a config (or drop a config file on the window)</source>
        <translation>打开配置（或把配置文件拖到窗口上）</translation>
    </message>
    <message>
        <source>play / pause training</source>
        <translation>开始 / 暂停训练</translation>
    </message>
    <message>
        <source>quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>reset: a fresh network from the same seed</source>
        <translation>重置：用相同的随机种子重新构建网络</translation>
    </message>
    <message>
        <source>residual connections</source>
        <translation>残差连接</translation>
    </message>
    <message>
        <source>save the config</source>
        <translation>保存配置</translation>
    </message>
    <message>
        <source>smaller text and lines</source>
        <translation>缩小文字和线条</translation>
    </message>
    <message>
        <source>step {step}</source>
        <translation>第 {step} 步</translation>
    </message>
    <message>
        <source>tanh</source>
        <translation>tanh</translation>
    </message>
    <message>
        <source>this list</source>
        <translation>本列表</translation>
    </message>
    <message>
        <source>walk through the backward pass, layer by layer</source>
        <translation>逐层演示反向传播</translation>
    </message>
    <message>
        <source>{name} = {value} (applied live)</source>
        <translation>{name} = {value}（已实时生效）</translation>
    </message>
    <message>
        <source>{name} changed: the network was rebuilt.</source>
        <translation>{name} 已更改：网络已重建。</translation>
    </message>
    <message>
        <source>{rate} steps/s</source>
        <translation>{rate} 步/秒</translation>
    </message>
</context>
<context>
    <name>NetworkView</name>
    <message>
        <source>Columns: the error ‖δ‖ reaching each layer (viridis: dark purple = vanishing, yellow = large); the number above each column is ‖δ‖.</source>
        <translation>柱：到达每一层的误差 ‖δ‖（viridis 配色：深紫 = 消失，黄 = 大）；每根柱上方的数字就是 ‖δ‖。</translation>
    </message>
    <message>
        <source>Edges: the {count} strongest weights per layer ({pos}, {neg}; thickest: |w| ≥ {stds} Glorot std).</source>
        <translation>边：每层最强的 {count} 个权重（{pos}，{neg}；最粗：|w| ≥ {stds} 倍 Glorot 标准差）。</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>网络</translation>
    </message>
    <message>
        <source>Network: activations (nodes), weights (edges), ‖δ‖ (columns)</source>
        <translation>网络：激活值（节点）、权重（边）、‖δ‖（柱）</translation>
    </message>
    <message>
        <source>Network: activations, weights, ‖δ‖</source>
        <translation>网络：激活值、权重、‖δ‖</translation>
    </message>
    <message>
        <source>Nodes: each unit&apos;s activation on one probe input (white = {centre}, {neg} below, {pos} above; a yellow ring = inf/NaN).</source>
        <translation>节点：每个单元对一个探测输入的激活值（白 = {centre}，低于为 {neg}，高于为 {pos}；黄圈 = inf/NaN）。</translation>
    </message>
    <message>
        <source>Wide layers are drawn as an evenly spaced sample: {list}.</source>
        <translation>较宽的层只画出均匀抽取的部分单元：{list}。</translation>
    </message>
    <message>
        <source>blue</source>
        <translation>蓝</translation>
    </message>
    <message>
        <source>edges: weights ({pos}, {neg}) · columns: ‖δ‖ (dark = vanishing)</source>
        <translation>边：权重（{pos}，{neg}）· 柱：‖δ‖（深色 = 消失）</translation>
    </message>
    <message>
        <source>in</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>nodes: activation (white = {centre}) · edges: strongest weights ({pos}, {neg}) · columns: ‖δ‖ (dark = vanishing)</source>
        <translation>节点：激活值（白 = {centre}）· 边：最强的权重（{pos}，{neg}）· 柱：‖δ‖（深色 = 消失）</translation>
    </message>
    <message>
        <source>nodes: activation · edges: weights ({pos}, {neg}) · columns: ‖δ‖ (dark = vanishing)</source>
        <translation>节点：激活值 · 边：权重（{pos}，{neg}）· 柱：‖δ‖（深色 = 消失）</translation>
    </message>
    <message>
        <source>out</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>red</source>
        <translation>红</translation>
    </message>
    <message>
        <source>showing {shown} of {total} inputs</source>
        <translation>显示 {total} 个输入中的 {shown} 个</translation>
    </message>
    <message>
        <source>showing {shown} of {total} outputs</source>
        <translation>显示 {total} 个输出中的 {shown} 个</translation>
    </message>
    <message>
        <source>showing {shown} of {total} units</source>
        <translation>显示 {total} 个单元中的 {shown} 个</translation>
    </message>
    <message>
        <source>{pos}, {neg} weights · dark column = vanishing ‖δ‖</source>
        <translation>{pos}、{neg} 权重 · 深色柱 = ‖δ‖ 消失</translation>
    </message>
    <message>
        <source>{pos}, {neg} weights · ‖δ‖ per column</source>
        <translation>{pos}、{neg} 权重 · 每根柱为 ‖δ‖</translation>
    </message>
    <message>
        <source>{shown} of {total} units shown</source>
        <translation>显示 {total} 个单元中的 {shown} 个</translation>
    </message>
</context>
<context>
    <name>OutputView</name>
    <message>
        <source>Confusion matrix</source>
        <translation>混淆矩阵</translation>
    </message>
    <message>
        <source>Decision regions (colour = predicted class, faint = unsure)</source>
        <translation>决策区域（颜色 = 预测类别，浅色 = 不确定）</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>Predicted class</source>
        <translation>预测类别</translation>
    </message>
    <message>
        <source>Predicted class (faint = unsure)</source>
        <translation>预测类别（浅色 = 不确定）</translation>
    </message>
    <message>
        <source>Test confusion matrix</source>
        <translation>测试集混淆矩阵</translation>
    </message>
    <message>
        <source>Test confusion matrix (colour = share of row)</source>
        <translation>测试集混淆矩阵（颜色 = 行内占比）</translation>
    </message>
    <message>
        <source>data</source>
        <translation>数据</translation>
    </message>
    <message>
        <source>network output</source>
        <translation>网络输出</translation>
    </message>
    <message>
        <source>output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>predicted</source>
        <translation>预测</translation>
    </message>
    <message>
        <source>true class</source>
        <translation>真实类别</translation>
    </message>
</context>
<context>
    <name>PhaseView</name>
    <message>
        <source>No mean-field prediction for this sweep.</source>
        <translation>平均场理论对这次扫描没有预测。</translation>
    </message>
    <message>
        <source>Solid line: mean-field edge of chaos χ₁ = 1. Dashed: depth scale ξ = {levels} layers.</source>
        <translation>实线：平均场混沌边缘 χ₁ = 1。虚线：深度尺度 ξ = {levels} 层。</translation>
    </message>
    <message>
        <source>final test accuracy</source>
        <translation>最终测试准确率</translation>
    </message>
    <message>
        <source>final training loss</source>
        <translation>最终训练损失</translation>
    </message>
    <message>
        <source>mean-field depth scale ξ (layers)</source>
        <translation>平均场深度尺度 ξ（层）</translation>
    </message>
    <message>
        <source>mean-field q* (pre-activation variance)</source>
        <translation>平均场 q*（激活前方差）</translation>
    </message>
    <message>
        <source>mean-field χ₁ (gradient factor² per layer)</source>
        <translation>平均场 χ₁（每层梯度因子的平方）</translation>
    </message>
    <message>
        <source>not measured yet</source>
        <translation>尚未测量</translation>
    </message>
    <message>
        <source>share of seeds that diverged</source>
        <translation>发散的种子所占比例</translation>
    </message>
    <message>
        <source>{swatch} no number (every seed diverged, or a dead network).</source>
        <translation>{swatch} 无数值（所有种子都发散了，或网络已死）。</translation>
    </message>
    <message>
        <source>‖∂L/∂z‖ first ÷ last hidden layer, after training</source>
        <translation>‖∂L/∂z‖ 第一隐藏层 ÷ 最后隐藏层，训练后</translation>
    </message>
    <message>
        <source>‖∂L/∂z‖ first ÷ last hidden layer, at initialisation</source>
        <translation>‖∂L/∂z‖ 第一隐藏层 ÷ 最后隐藏层，初始化时</translation>
    </message>
</context>
<context>
    <name>RecordDialog</name>
    <message>
        <source> fps</source>
        <translation> 帧/秒</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source>Animated GIF</source>
        <translation>GIF 动图</translation>
    </message>
    <message>
        <source>Animated GIF (*.gif)</source>
        <translation>GIF 动图 (*.gif)</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Cannot record</source>
        <translation>无法录制</translation>
    </message>
    <message>
        <source>Choose a file ending in .mp4 or .gif</source>
        <translation>请选择以 .mp4 或 .gif 结尾的文件</translation>
    </message>
    <message>
        <source>Choose a file to record to.</source>
        <translation>请选择要录制到的文件。</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>时长</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <source>Frame rate</source>
        <translation>帧率</translation>
    </message>
    <message>
        <source>GIFs are scaled to at most {width} pixels wide unless you choose a size.</source>
        <translation>除非另选尺寸，GIF 会缩放到最多 {width} 像素宽。</translation>
    </message>
    <message>
        <source>MP4 video (*.mp4)</source>
        <translation>MP4 视频 (*.mp4)</translation>
    </message>
    <message>
        <source>MP4 video (H.264)</source>
        <translation>MP4 视频 (H.264)</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>录制</translation>
    </message>
    <message>
        <source>Record a video</source>
        <translation>录制视频</translation>
    </message>
    <message>
        <source>Record for at least one frame (1 / fps seconds).</source>
        <translation>至少录制一帧（1 / fps 秒）。</translation>
    </message>
    <message>
        <source>Record to file</source>
        <translation>录制到文件</translation>
    </message>
    <message>
        <source>Replace file?</source>
        <translation>替换文件？</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>尺寸</translation>
    </message>
    <message>
        <source>The file must end in .mp4 (video) or .gif (animated GIF): {name}</source>
        <translation>文件名必须以 .mp4（视频）或 .gif（GIF 动图）结尾：{name}</translation>
    </message>
    <message>
        <source>The folder {folder} does not exist.</source>
        <translation>文件夹 {folder} 不存在。</translation>
    </message>
    <message>
        <source>Window size</source>
        <translation>窗口尺寸</translation>
    </message>
    <message>
        <source>Window size ({width} × {height})</source>
        <translation>窗口尺寸（{width} × {height}）</translation>
    </message>
    <message>
        <source>{names} already exists in {folder}. Replace it?</source>
        <translation>{folder} 中已存在 {names}。要替换吗？</translation>
    </message>
    <message>
        <source>{name} is a folder; choose a file name.</source>
        <translation>{name} 是一个文件夹，请选择文件名。</translation>
    </message>
    <message>
        <source>{width} × {height}</source>
        <translation>{width} × {height}</translation>
    </message>
</context>
<context>
    <name>RecordingController</name>
    <message>
        <source>Record GIF or MP4…</source>
        <translation>录制 GIF 或 MP4…</translation>
    </message>
    <message>
        <source>Recording not saved</source>
        <translation>录制未保存</translation>
    </message>
    <message>
        <source>Recording {path}: {frames} frames at {fps} fps…</source>
        <translation>正在录制 {path}：{frames} 帧，每秒 {fps} 帧…</translation>
    </message>
    <message>
        <source>Saved {path}: {frames} frames, {seconds} s (its config is in {path}.json).</source>
        <translation>已保存 {path}：{frames} 帧，{seconds} 秒（配置保存在 {path}.json 中）。</translation>
    </message>
    <message>
        <source>Stop recording</source>
        <translation>停止录制</translation>
    </message>
</context>
<context>
    <name>RunColumn</name>
    <message>
        <source>Building the network…</source>
        <translation>正在构建网络…</translation>
    </message>
    <message>
        <source>Error: {message}</source>
        <translation>错误：{message}</translation>
    </message>
    <message>
        <source>PRE-TRAINING layer {layer} of {layers} (autoencoder)</source>
        <translation>预训练：第 {layer} / {layers} 层（自编码器）</translation>
    </message>
    <message>
        <source>loss {loss}</source>
        <translation>损失 {loss}</translation>
    </message>
    <message>
        <source>step {step}</source>
        <translation>第 {step} 步</translation>
    </message>
    <message>
        <source>test acc {accuracy}</source>
        <translation>测试准确率 {accuracy}</translation>
    </message>
</context>
<context>
    <name>SaveDialogs</name>
    <message>
        <source>CSV table (*.csv)</source>
        <translation>CSV 表格 (*.csv)</translation>
    </message>
    <message>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <source>Nothing was saved</source>
        <translation>未保存任何文件</translation>
    </message>
    <message>
        <source>Nothing written: {path} exists.</source>
        <translation>未写入：{path} 已存在。</translation>
    </message>
    <message>
        <source>Replace existing file?</source>
        <translation>替换已有文件？</translation>
    </message>
    <message>
        <source>Saved {path}.</source>
        <translation>已保存 {path}。</translation>
    </message>
    <message>
        <source>These files exist and would be replaced:
{names}</source>
        <translation>以下文件已存在，将被替换：
{names}</translation>
    </message>
</context>
<context>
    <name>Status</name>
    <message>
        <source>Before training: {verdict}</source>
        <translation>训练前：{verdict}</translation>
    </message>
    <message>
        <source>DEAD network: no gradient reaches any hidden layer — nothing below the output learns</source>
        <translation>网络已死：没有梯度到达任何隐藏层 — 输出层以下什么也学不到</translation>
    </message>
    <message>
        <source>DIVERGED at step {step} — paused. Reset (R) to start again.</source>
        <translation>已发散：第 {step} 步 — 已暂停。按 R 重置以重新开始。</translation>
    </message>
    <message>
        <source>DIVERGED in layer {layer} at step {step} — paused. Reset (R) to start again.</source>
        <translation>已发散：第 {step} 步，第 {layer} 层 — 已暂停。按 R 重置以重新开始。</translation>
    </message>
    <message>
        <source>EXPLODING gradients: infinite or NaN gradient from layer {layer} on</source>
        <translation>梯度爆炸：从第 {layer} 层起梯度为无穷大或 NaN</translation>
    </message>
    <message>
        <source>EXPLODING gradients: layer 1 gets a gradient, the last hidden layer none at all</source>
        <translation>梯度爆炸：第 1 层有梯度，最后一个隐藏层却完全没有</translation>
    </message>
    <message>
        <source>EXPLODING gradients: the gradient overflowed (infinite or NaN)</source>
        <translation>梯度爆炸：梯度溢出（无穷大或 NaN）</translation>
    </message>
    <message>
        <source>EXPLODING gradients: ‖∇‖ = {norm}, layer 1 / last hidden = {ratio}</source>
        <translation>梯度爆炸：‖∇‖ = {norm}，第 1 层 / 最后一个隐藏层 = {ratio}</translation>
    </message>
    <message>
        <source>EXPLODING gradients: ‖∇‖ = {norm}, yet no gradient reaches layer 1 at all</source>
        <translation>梯度爆炸：‖∇‖ = {norm}，但没有任何梯度到达第 1 层</translation>
    </message>
    <message>
        <source>Gradients healthy: layer 1 / last hidden = {ratio}</source>
        <translation>梯度正常：第 1 层 / 最后一个隐藏层 = {ratio}</translation>
    </message>
    <message>
        <source>VANISHING gradients: layer 1 gets {ratio} × the last hidden layer&apos;s</source>
        <translation>梯度消失：第 1 层的梯度只有最后一个隐藏层的 {ratio} 倍</translation>
    </message>
    <message>
        <source>VANISHING gradients: no gradient reaches layer 1 at all</source>
        <translation>梯度消失：没有任何梯度到达第 1 层</translation>
    </message>
</context>
<context>
    <name>SweepWindow</name>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <source>Export PNG (1×)…</source>
        <translation>导出 PNG（1×）…</translation>
    </message>
    <message>
        <source>Export PNG (2×)…</source>
        <translation>导出 PNG（2×）…</translation>
    </message>
    <message>
        <source>Export SVG…</source>
        <translation>导出 SVG…</translation>
    </message>
    <message>
        <source>Export the phase diagram as PNG</source>
        <translation>将相图导出为 PNG</translation>
    </message>
    <message>
        <source>Export the phase diagram as SVG</source>
        <translation>将相图导出为 SVG</translation>
    </message>
    <message>
        <source>Export the sweep&apos;s points as CSV</source>
        <translation>将扫描的各点导出为 CSV</translation>
    </message>
    <message>
        <source>No main window to open the config in.</source>
        <translation>没有可以打开该配置的主窗口。</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <source>Phase diagram</source>
        <translation>相图</translation>
    </message>
    <message>
        <source>Point at a cell for its numbers; click it to open that config in the main window.</source>
        <translation>指向一个格子可查看它的数值；点击它可在主窗口中打开该配置。</translation>
    </message>
    <message>
        <source>Run sweep</source>
        <translation>运行扫描</translation>
    </message>
    <message>
        <source>SVG images (*.svg)</source>
        <translation>SVG 图像 (*.svg)</translation>
    </message>
    <message>
        <source>Saved {path}</source>
        <translation>已保存 {path}</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>The sweep stopped: {reason}</source>
        <translation>扫描已停止：{reason}</translation>
    </message>
    <message>
        <source>{activation}, {depth} hidden layers × {width}, {init}: each cell is one config of the grid ({seeds} seed(s), {steps} training steps). Blue: the gradient vanishes towards the first layer; red: it explodes.</source>
        <translation>{activation}，{depth} 个隐藏层 × {width}，{init}：每个格子是网格中的一个配置（{seeds} 个种子，{steps} 步训练）。蓝色：梯度向第一层消失；红色：梯度爆炸。</translation>
    </message>
    <message>
        <source>{done} / {total} points</source>
        <translation>{done} / {total} 个点</translation>
    </message>
    <message>
        <source>{title} — Backprop Lab</source>
        <translation>{title} — Backprop Lab</translation>
    </message>
</context>
<context>
    <name>TimelineBar</name>
    <message>
        <source>Drag to see an earlier step (Home, End, Page Up, Page Down)</source>
        <translation>拖动以查看更早的步（Home、End、Page Up、Page Down）</translation>
    </message>
    <message>
        <source>LIVE</source>
        <translation>实时</translation>
    </message>
    <message>
        <source>Play the recorded steps back</source>
        <translation>回放已记录的步</translation>
    </message>
    <message>
        <source>Playback speed</source>
        <translation>回放速度</translation>
    </message>
    <message>
        <source>Return to the newest step and resume training</source>
        <translation>回到最新一步并继续训练</translation>
    </message>
    <message>
        <source>step {step}</source>
        <translation>第 {step} 步</translation>
    </message>
    <message>
        <source>{rate} frames/s</source>
        <translation>{rate} 帧/秒</translation>
    </message>
    <message>
        <source>‖ Pause</source>
        <translation>‖ 暂停</translation>
    </message>
    <message>
        <source>▶ Play back</source>
        <translation>▶ 回放</translation>
    </message>
    <message>
        <source>● Live</source>
        <translation>● 实时</translation>
    </message>
</context>
<context>
    <name>Transport</name>
    <message>
        <source>1 step/s (slow motion)</source>
        <translation>1 步/秒（慢动作）</translation>
    </message>
    <message>
        <source>Max speed</source>
        <translation>最快速度</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>速度</translation>
    </message>
    <message>
        <source>Step (S / →)</source>
        <translation>单步 (S / →)</translation>
    </message>
    <message>
        <source>Transport</source>
        <translation>播放控制</translation>
    </message>
    <message>
        <source>{speed} steps/s</source>
        <translation>{speed} 步/秒</translation>
    </message>
    <message>
        <source>{speed} steps/s (slow motion)</source>
        <translation>{speed} 步/秒（慢动作）</translation>
    </message>
    <message>
        <source>‖ Pause (Space)</source>
        <translation>‖ 暂停 (空格)</translation>
    </message>
    <message>
        <source>▶ Play (Space)</source>
        <translation>▶ 播放 (空格)</translation>
    </message>
    <message>
        <source>⟲ Reset (R)</source>
        <translation>⟲ 重置 (R)</translation>
    </message>
    <message>
        <source>⟳ Restart engine</source>
        <translation>⟳ 重启引擎</translation>
    </message>
</context>
<context>
    <name>WalkthroughView</name>
    <message>
        <source>(f′ acts ×{value})</source>
        <translation>（f′ 的作用 ×{value}）</translation>
    </message>
    <message>
        <source>Backward pass</source>
        <translation>反向传播</translation>
    </message>
    <message>
        <source>Backward pass: freeze a step to walk it layer by layer</source>
        <translation>反向传播：冻结某一步，逐层查看</translation>
    </message>
    <message>
        <source>Layer {layer} (output):</source>
        <translation>第 {layer} 层（输出）：</translation>
    </message>
    <message>
        <source>Layer {layer}:</source>
        <translation>第 {layer} 层：</translation>
    </message>
    <message>
        <source>ReLU′ is 0 or 1: the weights set the size</source>
        <translation>ReLU′ 为 0 或 1：大小由权重决定</translation>
    </message>
    <message>
        <source>Step {step} frozen:</source>
        <translation>已冻结第 {step} 步：</translation>
    </message>
    <message>
        <source>W gain</source>
        <translation>W 增益</translation>
    </message>
    <message>
        <source>batch norm rescales every step</source>
        <translation>批归一化在每一步重新缩放</translation>
    </message>
    <message>
        <source>each sigmoid step multiplies by σ′ ≤ 1/4</source>
        <translation>每经过一个 sigmoid 层就乘以 σ′ ≤ 1/4</translation>
    </message>
    <message>
        <source>each tanh step multiplies by tanh′ ≤ 1</source>
        <translation>每经过一个 tanh 层就乘以 tanh′ ≤ 1</translation>
    </message>
    <message>
        <source>each {name} step multiplies by f′ and by W</source>
        <translation>每经过一个 {name} 层就乘以 f′ 和 W</translation>
    </message>
    <message>
        <source>exploding</source>
        <translation>梯度爆炸</translation>
    </message>
    <message>
        <source>factor</source>
        <translation>因子</translation>
    </message>
    <message>
        <source>factor &lt; 1: shrinks</source>
        <translation>因子 &lt; 1：缩小</translation>
    </message>
    <message>
        <source>factor &gt; 1: grows</source>
        <translation>因子 &gt; 1：增大</translation>
    </message>
    <message>
        <source>f′ = 1: only the weights scale the signal</source>
        <translation>f′ = 1：只有权重缩放信号</translation>
    </message>
    <message>
        <source>f′ mean</source>
        <translation>f′ 均值</translation>
    </message>
    <message>
        <source>grows</source>
        <translation>增大</translation>
    </message>
    <message>
        <source>healthy</source>
        <translation>梯度正常</translation>
    </message>
    <message>
        <source>leaky ReLU′ is 1 or the slope: the weights set the size</source>
        <translation>leaky ReLU′ 为 1 或斜率：大小由权重决定</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>press → to walk back from the output</source>
        <translation>按 → 从输出层开始逐层往回走</translation>
    </message>
    <message>
        <source>running product</source>
        <translation>累积乘积</translation>
    </message>
    <message>
        <source>running product {ratio} (log scale)</source>
        <translation>累积乘积 {ratio}（对数刻度）</translation>
    </message>
    <message>
        <source>shrinks</source>
        <translation>缩小</translation>
    </message>
    <message>
        <source>skip path</source>
        <translation>跳跃路径</translation>
    </message>
    <message>
        <source>the backward pass starts here (→ next layer)</source>
        <translation>反向传播从这里开始（→ 下一层）</translation>
    </message>
    <message>
        <source>the signal became NaN: this run diverged</source>
        <translation>信号变成了 NaN：本次训练已发散</translation>
    </message>
    <message>
        <source>the signal died at layer {layer}</source>
        <translation>信号在第 {layer} 层消失了</translation>
    </message>
    <message>
        <source>the signal died at layer {layer}: f′ = 0 everywhere</source>
        <translation>信号在第 {layer} 层消失了：f′ 处处为 0</translation>
    </message>
    <message>
        <source>the signal overflowed: this run diverged</source>
        <translation>信号溢出：本次训练已发散</translation>
    </message>
    <message>
        <source>the skip path carries the signal around f′ and W</source>
        <translation>跳跃路径让信号绕过 f′ 和 W</translation>
    </message>
    <message>
        <source>vanishing</source>
        <translation>梯度消失</translation>
    </message>
    <message>
        <source>{ratio} (log)</source>
        <translation>{ratio}（对数）</translation>
    </message>
    <message numerus="yes">
        <source>{verdict} after %n step(s)</source>
        <translation>
            <numerusform>经过 %n 步后：{verdict}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{verdict} after %n step(s) (with batch norm)</source>
        <translation>
            <numerusform>经过 %n 步后（使用批归一化）：{verdict}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{verdict} after %n step(s) (with skip paths)</source>
        <translation>
            <numerusform>经过 %n 步后（使用跳跃路径）：{verdict}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{verdict} after %n step(s) of tanh′ ≤ 1</source>
        <translation>
            <numerusform>经过 %n 步 tanh′ ≤ 1 后：{verdict}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{verdict} after %n step(s) of σ′ ≤ 1/4</source>
        <translation>
            <numerusform>经过 %n 步 σ′ ≤ 1/4 后：{verdict}</numerusform>
        </translation>
    </message>
</context>
</TS>
