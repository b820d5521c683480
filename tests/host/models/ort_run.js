// SPDX-License-Identifier: MIT
// The reference: onnxruntime-node runs an ONNX model on the inputs
// model_tool wrote (DIR/input_<i>.bin, float32/int64 raw) and writes
// DIR/ref_<i>.bin, or times it.
//
//   node ort_run.js ORT_DIR MODEL.onnx DIR THREADS [bench N]
//
// ORT_DIR is where `npm install onnxruntime-node@1.30.0` put node_modules.
'use strict';
const fs = require('fs');
const path = require('path');

const [ortDir, model, dir, threadsArg, mode, nArg] = process.argv.slice(2);
if (!ortDir || !model || !dir) {
  console.error('usage: node ort_run.js ORT_DIR MODEL.onnx DIR THREADS [bench N]');
  process.exit(2);
}
const ort = require(path.join(ortDir, 'node_modules', 'onnxruntime-node'));
const threads = parseInt(threadsArg || '1', 10);

const typed = {
  float32: Float32Array, int64: BigInt64Array, int32: Int32Array,
  uint8: Uint8Array, int8: Int8Array, bool: Uint8Array,
};

(async () => {
  const s = await ort.InferenceSession.create(model, {
    intraOpNumThreads: threads, interOpNumThreads: 1,
    executionMode: 'sequential', logSeverityLevel: 3,
  });
  const feeds = {};
  s.inputNames.forEach((name, i) => {
    const meta = s.inputMetadata[i];
    const type = meta.type || 'float32';
    const buf = fs.readFileSync(path.join(dir, `input_${i}.bin`));
    const T = typed[type];
    if (!T) throw new Error(`input ${name}: type ${type} not handled`);
    const data = new T(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length));
    const dims = meta.shape.map((d) => (typeof d === 'number' && d > 0 ? d : 1));
    feeds[name] = new ort.Tensor(type, data, dims);
  });
  let r = await s.run(feeds);
  if (mode === 'bench') {
    const n = parseInt(nArg || '50', 10);
    for (let i = 0; i < 5; i++) r = await s.run(feeds);
    const t = [];
    for (let i = 0; i < n; i++) {
      const t0 = process.hrtime.bigint();
      r = await s.run(feeds);
      t.push(Number(process.hrtime.bigint() - t0) / 1e9);
    }
    t.sort((a, b) => a - b);
    console.log(t[Math.floor(n / 2)].toFixed(6));
    return;
  }
  s.outputNames.forEach((name, i) => {
    const d = r[name].data;
    fs.writeFileSync(path.join(dir, `ref_${i}.bin`),
      Buffer.from(d.buffer, d.byteOffset, d.byteLength));
  });
})().catch((e) => { console.error(`ort_run: ${e.message}`); process.exit(1); });
