/**
 * The d = 3 view: the unit sphere and the points on it, drawn by three.js, rotated with the
 * mouse (OrbitControls). Each point is a small sphere of an InstancedMesh, sized from n.
 */
import * as THREE from 'three';
import { OrbitControls } from 'three/addons/controls/OrbitControls.js';

/** A three.js scene in `host` that shows the latest positions. */
export class SphereView {
  private readonly renderer: THREE.WebGLRenderer;
  private readonly scene = new THREE.Scene();
  private readonly camera = new THREE.PerspectiveCamera(40, 1, 0.1, 100);
  private readonly controls: OrbitControls;
  private points: THREE.InstancedMesh | null = null;
  private readonly dummy = new THREE.Object3D();
  private readonly resize: ResizeObserver;
  private frameRequested = false;

  /** @param host the element the canvas fills */
  constructor(private readonly host: HTMLElement) {
    this.renderer = new THREE.WebGLRenderer({ antialias: true, alpha: true, preserveDrawingBuffer: true });
    this.renderer.setClearColor(0x000000, 0);
    this.renderer.setPixelRatio(Math.min(2, globalThis.devicePixelRatio || 1));
    host.appendChild(this.renderer.domElement);
    this.camera.position.set(0, 0.8, 3.4);
    this.controls = new OrbitControls(this.camera, this.renderer.domElement);
    this.controls.enableDamping = true;
    this.controls.enablePan = false;
    this.controls.minDistance = 1.6;
    this.controls.maxDistance = 8;
    this.controls.addEventListener('change', () => this.requestRender());
    this.scene.add(new THREE.AmbientLight(0xffffff, 0.9));
    const light = new THREE.DirectionalLight(0xffffff, 1.6);
    light.position.set(3, 4, 5);
    this.camera.add(light);
    this.scene.add(this.camera);
    this.scene.add(new THREE.Mesh(
      new THREE.SphereGeometry(1, 64, 48),
      new THREE.MeshPhongMaterial({ color: 0x2b4a6f, transparent: true, opacity: 0.35, shininess: 20, depthWrite: false }),
    ));
    this.scene.add(new THREE.LineSegments(
      new THREE.WireframeGeometry(new THREE.SphereGeometry(1.001, 24, 12)),
      new THREE.LineBasicMaterial({ color: 0x7fa7d1, transparent: true, opacity: 0.18 }),
    ));
    this.resize = new ResizeObserver(() => this.fit());
    this.resize.observe(host);
    this.fit();
  }

  /** Shows `positions` (n × 3, row-major, unit rows). */
  setPoints(positions: Float32Array): void {
    const n = positions.length / 3;
    if (!this.points || this.points.count !== n) {
      if (this.points) {
        this.scene.remove(this.points);
        this.points.geometry.dispose();
        (this.points.material as THREE.Material).dispose();
      }
      // radius: a fraction of the spacing of n evenly spread points (solid angle 4π/n each)
      const radius = Math.min(0.08, 0.45 * Math.sqrt(4 / n));
      this.points = new THREE.InstancedMesh(
        new THREE.SphereGeometry(radius, 16, 12),
        new THREE.MeshPhongMaterial({ color: 0xffb347, shininess: 60 }),
        n,
      );
      this.scene.add(this.points);
    }
    for (let i = 0; i < n; i++) {
      this.dummy.position.set(positions[3 * i]!, positions[3 * i + 1]!, positions[3 * i + 2]!);
      this.dummy.updateMatrix();
      this.points.setMatrixAt(i, this.dummy.matrix);
    }
    this.points.instanceMatrix.needsUpdate = true;
    this.requestRender();
  }

  /** Removes the points (after a reset). */
  clear(): void {
    if (this.points) this.points.count = 0;
    this.requestRender();
  }

  private fit(): void {
    const w = Math.max(1, this.host.clientWidth), h = Math.max(1, this.host.clientHeight);
    this.renderer.setSize(w, h, true);
    this.camera.aspect = w / h;
    this.camera.updateProjectionMatrix();
    this.requestRender();
  }

  /** Renders on the next animation frame, and keeps rendering while the controls' damping settles. */
  private requestRender(): void {
    if (this.frameRequested) return;
    this.frameRequested = true;
    requestAnimationFrame(() => {
      this.frameRequested = false;
      if (this.controls.update()) this.requestRender();
      this.renderer.render(this.scene, this.camera);
    });
  }
}
