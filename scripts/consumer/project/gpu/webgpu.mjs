// The gpu backend's webgpu mode as an npm user installs it (gpu.js + webgpu 0.6.2): a matmul and a
// loss gradient on gpu:webgpu agree with the cpu backend. Without a Vulkan adapter (no GPU and no
// SwiftShader driver named by VK_DRIVER_FILES) it prints why and exits 0.
import { createGpuBackend, cpuBackend, matmul, sum, exp, tensor, valueAndGrad } from '@keepdist/autograd';

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
gpu.destroy?.();
if (!(Math.abs(va - vb) / Math.abs(va) < 1e-4 && worst < 1e-3)) {
  console.error('consumer gpu: gpu:webgpu disagrees with the cpu backend');
  process.exit(1);
}
