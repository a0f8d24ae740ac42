// The gpu backend's webgpu mode as an npm user installs it (gpu.js + webgpu 0.6.2): a matmul and a
// loss gradient on gpu:webgpu agree with the cpu backend, and so does mmd's gradient of rows wider
// than the fused widths with each `pairwiseGradient` form, each on a backend made after the last
// one was destroyed (which crashed Dawn before the backend kept one Dawn instance per process).
// Without a Vulkan adapter (no GPU and no SwiftShader driver named by VK_DRIVER_FILES) it prints
// why and exits 0.
import { createGpuBackend, cpuBackend, matmul, normalize, sum, exp, tensor, valueAndGrad } from '@keepdist/autograd';
import { mmd } from '@keepdist/dispersion';

let gpu;
try {
  gpu = await createGpuBackend({ mode: 'webgpu' });
} catch (e) {
  console.log(`consumer gpu: webgpu skipped: ${e.message}`);
  process.exit(0);
}
const data = Array.from({ length: 64 * 32 }, (_, i) => Math.sin(i) / 4);
const onCpu = tensor(data, { shape: [64, 32], backend: cpuBackend });
const onGpu = tensor(data, { shape: [64, 32], backend: gpu });
const f = (x) => sum(exp(matmul(x, x.T)));
const a = valueAndGrad(f)(onCpu), b = valueAndGrad(f)(onGpu);
const [va, vb] = [a.value.item(), (await b.value.data())[0]];
const ga = a.grads[0].readSync('consumer'), gb = await b.grads[0].data();
let worst = 0;
for (let i = 0; i < ga.length; i++) worst = Math.max(worst, Math.abs(ga[i] - gb[i]) / (Math.abs(ga[i]) + 1e-3));
console.log(`consumer gpu: ${gpu.name}: loss cpu ${va} gpu ${vb}; worst relative gradient difference ${worst.toExponential(2)}`);
await gpu.destroy();
if (!(Math.abs(va - vb) / Math.abs(va) < 1e-4 && worst < 1e-3)) {
  console.error('consumer gpu: gpu:webgpu disagrees with the cpu backend');
  process.exit(1);
}

// mmd gaussian/geodesic of 100 unit rows of 12: the gradient in k′ tiles, or fused in registers
const rows = Array.from({ length: 100 * 12 }, (_, i) => Math.cos(1.7 * i) + Math.sin(0.3 * i * i));
const loss = (x) => mmd(normalize(x, 1), { kernel: 'gaussian', distance: 'geodesic' });
const ref = valueAndGrad(loss)(tensor(rows, { shape: [100, 12], backend: cpuBackend }));
const refGrad = ref.grads[0].readSync('consumer');
for (const pairwiseGradient of ['tiles', 'fused']) {
  const g = await createGpuBackend({ mode: 'webgpu', pairwiseGradient });
  const got = valueAndGrad(loss)(tensor(rows, { shape: [100, 12], backend: g }));
  const [v, grad] = [(await got.value.data())[0], await got.grads[0].data()];
  let far = 0;
  for (let i = 0; i < grad.length; i++) far = Math.max(far, Math.abs(grad[i] - refGrad[i]) / (Math.abs(refGrad[i]) + 1e-3));
  console.log(`consumer gpu: mmd with pairwiseGradient '${pairwiseGradient}': loss cpu ${ref.value.item()} gpu ${v}; worst relative gradient difference ${far.toExponential(2)}`);
  await g.destroy();
  if (!(Math.abs(v - ref.value.item()) / Math.abs(ref.value.item()) < 1e-4 && far < 1e-3)) {
    console.error(`consumer gpu: mmd with pairwiseGradient '${pairwiseGradient}' disagrees with the cpu backend`);
    process.exit(1);
  }
}
