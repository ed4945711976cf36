/**
 * The floor under a document's PDF: Chromium alone doing what no PDF of the page can skip, with none of our passes
 * (footnotes, soft hyphens, outline titles) and nothing done in Node (no HTML build, no finishing of the PDF).
 * - Cold, as a build prints: a fresh browser started, the page to print loaded, laid out, printed.
 * - Warm, as watch mode prints: in that browser, the page's body replaced by the same body again (sent as the change
 *   from the body before, which is none: a save's edit is small), laid out, printed.
 * Reported beside the build's own times and the targets: a target below the floor cannot be met while Chromium
 * prints the whole document.
 */
import {rmSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {performance} from 'node:perf_hooks'
import {build} from '../pipeline/build.ts'
import {launchBrowser} from '../pipeline/render/browser.ts'
import {chromiumPdf, loadForPrint, replaceBody, splitAtBody} from '../pipeline/render/pdf.ts'
import {median} from './process-timing.ts'

export interface ChromiumFloor {
  /** Median seconds from starting the browser to having the PDF's bytes. */
  cold: number
  /** Median seconds to replace the body, lay it out and print, in a browser already showing the page. */
  warm: number
}

export async function benchChromiumFloor(project: string, runs: number): Promise<ChromiumFloor> {
  const built = await build({root: project, to: ['html'], printPage: true})
  const printHtml = await built.document?.printHtml?.()
  const parts = printHtml === undefined ? undefined : splitAtBody(printHtml)
  if (!built.written || !printHtml || !parts) throw new Error(`the floor needs a page to print; the build of ${project} made none`)
  const folder = path.dirname(path.join(project, built.outputs[0]))
  // Beside the HTML, so that its relative URLs (fonts, figures) resolve as the build's print page's do.
  const pagePath = path.join(folder, '.chromium-floor.print.html')
  writeFileSync(pagePath, printHtml)
  const meta = built.document!.meta
  const cold: number[] = []
  const warm: number[] = []
  try {
    for (let run = 0; run < runs; run++) {
      const started = performance.now()
      const browser = await launchBrowser({root: project})
      try {
        const page = await browser.page()
        await loadForPrint(browser, page, pagePath, {timeout: 120_000})
        await chromiumPdf(page, meta, 120_000)
        cold.push((performance.now() - started) / 1000)
        if (run === 0) {
          let kept = await replaceBody(page, parts.body)
          for (let again = 0; again < runs; again++) {
            const replaced = performance.now()
            kept = await replaceBody(page, parts.body, kept)
            await chromiumPdf(page, meta, 120_000)
            warm.push((performance.now() - replaced) / 1000)
          }
        }
      } finally {
        await browser.close()
      }
    }
  } finally {
    rmSync(pagePath, {force: true})
  }
  return {cold: median(cold), warm: median(warm)}
}
