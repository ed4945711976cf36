/**
 * The figure process's main script (compiled to dist/figure-worker.mjs; see draw.ts): draws each figure it is sent
 * with Vega (render.ts) and sends back the SVG, or the error. It says when it starts on a figure, so that the time
 * limit counts the drawing and not Vega loading, and it ends with the pipeline (when the channel closes). Should no
 * figure be waiting once Vega has loaded, it reads the default face meanwhile (nearly every figure's text is set in it).
 */
import type {FigureModel} from '../tables/model.ts'
import type {FontFolders} from './font-files.ts'
import {loadRenderer} from './renderer-code.ts'

export interface DrawRequest {
  figure: FigureModel
}

export type DrawReply = {type: 'started'} | {type: 'drawn'; svg: string} | {type: 'refused'; message: string}

/** The font folders come as the first argument (draw.ts): the bundled script cannot find the packages itself. */
const {FigureRenderer} = await loadRenderer()
const renderer = new FigureRenderer(JSON.parse(process.argv[2]) as FontFolders)
/** Figures are drawn one after another: Vega's text measurement and SVG ids are global. */
let drawing: Promise<unknown> = Promise.resolve()
let asked = false

const send = (reply: DrawReply) => process.send!(reply)

process.on('message', ({figure}: DrawRequest) => {
  asked = true
  drawing = drawing.then(() => draw(figure))
})
process.on('disconnect', () => process.exit(0))
// A figure already waiting is received in the event loop's next poll for I/O (this script may end after the loop's
// poll, from the module loader), so the check waits for the immediates of the next turn: the figure first, then.
setImmediate(() =>
  setImmediate(() => {
    if (!asked) renderer.readDefaultFaces()
  })
)

async function draw(figure: FigureModel): Promise<void> {
  send({type: 'started'})
  let reply: DrawReply
  try {
    reply = {type: 'drawn', svg: await renderer.render(figure)}
  } catch (error) {
    reply = {type: 'refused', message: error instanceof Error ? error.message : String(error)}
  }
  send(reply)
}
