// Everything moving in one pane: one ParticleContainer per movement kind (a fixed tint and size
// each, so only positions go to the GPU every frame), backed by a MotionBuffer whose slot i is
// particle i. Arrived particles are parked off-screen and reused, never removed, so thousands of
// trips cost one draw call per kind and no allocation per frame.
import { Container, Particle, ParticleContainer, type Texture } from "pixi.js";
import { MotionBuffer } from "../motion.ts";
import { MOTION_KINDS, MOTION_LOOK, type MotionKind } from "../portrayal.ts";
import type { Camera } from "../projection.ts";
import { DOT_TEXELS } from "./textures.ts";

/** Where a parked particle waits (outside any pane). */
const PARKED = -100_000;

interface KindLayer {
  buffer: MotionBuffer;
  container: ParticleContainer;
  particles: Particle[];
  scale: number;
}

export class MotionLayer {
  readonly view = new Container();
  private readonly kinds = new Map<MotionKind, KindLayer>();

  constructor(
    private readonly texture: Texture,
    /** Trips per kind at most; more are dropped (and counted). */
    maxPerKind = 40_000,
  ) {
    for (const kind of MOTION_KINDS) {
      const container = new ParticleContainer({
        texture,
        dynamicProperties: { position: true, vertex: false, rotation: false, uvs: false, color: false },
      });
      this.view.addChild(container);
      this.kinds.set(kind, { buffer: new MotionBuffer(256, maxPerKind), container, particles: [], scale: MOTION_LOOK[kind].size / DOT_TEXELS });
    }
  }

  /** Start a trip from one map point to another between two sim minutes. */
  add(kind: MotionKind, x0: number, y0: number, x1: number, y1: number, departAt: number, arriveAt: number): void {
    const layer = this.kinds.get(kind)!;
    const slot = layer.buffer.add(x0, y0, x1, y1, departAt, arriveAt);
    if (slot < 0) return;
    while (layer.particles.length < layer.buffer.highWater) {
      const p = new Particle({ texture: this.texture, x: PARKED, y: PARKED, scaleX: layer.scale, scaleY: layer.scale, anchorX: 0.5, anchorY: 0.5, tint: MOTION_LOOK[kind].color });
      layer.particles.push(p);
      layer.container.addParticle(p);
    }
  }

  /** Move everything to sim minute t as the camera shows it; returns trips still moving. */
  step(t: number, camera: Camera): number {
    let moving = 0;
    for (const layer of this.kinds.values()) {
      const particles = layer.particles;
      moving += layer.buffer.step(
        t,
        (slot, x, y) => {
          const p = particles[slot];
          p.x = camera.toScreenX(x);
          p.y = camera.toScreenY(y);
        },
        (slot) => {
          const p = particles[slot];
          p.x = p.y = PARKED;
        },
      );
    }
    return moving;
  }

  /** Drop every trip (a snapshot or a seek replaced the state). */
  clear(): void {
    for (const layer of this.kinds.values())
      layer.buffer.clear((slot) => {
        const p = layer.particles[slot];
        p.x = p.y = PARKED;
      });
  }

  /** Trips in flight now, all kinds. */
  get moving(): number {
    let n = 0;
    for (const layer of this.kinds.values()) n += layer.buffer.size;
    return n;
  }

  /** Trips dropped because a kind was at its limit. */
  get dropped(): number {
    let n = 0;
    for (const layer of this.kinds.values()) n += layer.buffer.dropped;
    return n;
  }

  movingOf(kind: MotionKind): number {
    return this.kinds.get(kind)!.buffer.size;
  }
}
