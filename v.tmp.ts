import { launchChromium } from "./test/e2e/chromium.ts";
const b = await launchChromium(); const p = await b.newPage();
for (const f of process.argv.slice(2)) {
  await p.setViewportSize({ width: 1280, height: 900 }); await p.emulateMedia({ media: "screen" });
  await p.goto("file://" + f);
  const w = await p.evaluate(() => (globalThis as any).document.documentElement.scrollWidth);
  await p.emulateMedia({ media: "print" }); await p.setViewportSize({ width: 703, height: 900 });
  const pw = await p.evaluate(() => Math.max(...[...(globalThis as any).document.querySelectorAll("table,svg")].map((e: any) => e.getBoundingClientRect().right)));
  console.log(f, "screen scrollWidth", w, "print widest table/svg right", pw);
}
await b.close();
