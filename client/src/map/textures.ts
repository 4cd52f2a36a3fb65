// Textures drawn on the spot from a 2D canvas (no image files, no network, nothing a content
// security policy would refuse): a soft dot for moving particles and a radial glow for demand heat.
import { Texture } from "pixi.js";

/** Diameter in texels of the particle dot; particles scale it to their kind's size. */
export const DOT_TEXELS = 16;

function canvasTexture(size: number, paint: (ctx: CanvasRenderingContext2D) => void): Texture {
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = size;
  const ctx = canvas.getContext("2d");
  if (!ctx) throw new Error("no 2D canvas context for a texture");
  paint(ctx);
  return Texture.from(canvas);
}

/** A white dot with a soft edge (tinted per kind). */
export function dotTexture(): Texture {
  return canvasTexture(DOT_TEXELS, (ctx) => {
    const r = DOT_TEXELS / 2;
    const g = ctx.createRadialGradient(r, r, 0, r, r, r);
    g.addColorStop(0, "rgba(255,255,255,1)");
    g.addColorStop(0.6, "rgba(255,255,255,1)");
    g.addColorStop(1, "rgba(255,255,255,0)");
    ctx.fillStyle = g;
    ctx.fillRect(0, 0, DOT_TEXELS, DOT_TEXELS);
  });
}

/** A white radial glow, opaque at the centre and gone at the edge (tinted and faded per zone). */
export function glowTexture(): Texture {
  const size = 128;
  return canvasTexture(size, (ctx) => {
    const r = size / 2;
    const g = ctx.createRadialGradient(r, r, 0, r, r, r);
    g.addColorStop(0, "rgba(255,255,255,1)");
    g.addColorStop(0.45, "rgba(255,255,255,0.55)");
    g.addColorStop(1, "rgba(255,255,255,0)");
    ctx.fillStyle = g;
    ctx.fillRect(0, 0, size, size);
  });
}
