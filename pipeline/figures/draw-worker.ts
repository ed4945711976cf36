/**
 * The figure process's main script (compiled to dist/figure-worker.mjs; see draw.ts): draws each figure it is sent
 * with Vega (render.ts) and sends back the SVG, or the error. It says when it starts on a figure, so that the time
 * limit counts the drawing and not Vega loading, and it ends with the pipeline (when the channel closes). Should no
 * figure be waiting once Vega has loaded, it draws a small one of its own meanwhile (thrown away): the first real
 * figure then finds Vega's code compiled and the default faces read, and is drawn as fast as the next.
 */
import type {FigureModel} from '../tables/model.ts'
import type {FontFolders} from './font-files.ts'
import {FigureRenderer} from './render.ts'

export interface DrawRequest {
  figure: FigureModel
}

export type DrawReply = {type: 'started'} | {type: 'drawn'; svg: string} | {type: 'refused'; message: string}

/** Bars with labels, axis titles and a title, in the default face's two weights: what most figures are made of. */
const warmUpFigure: FigureModel = {
  label: 'fig:warm-up',
  caption: 'Warm-up',
  spec: {
    title: 'Warm-up',
    data: {values: [{name: 'One', count: 1}, {name: 'Two', count: 2}]},
    encoding: {y: {field: 'name', type: 'nominal', title: 'Name'}, x: {field: 'count', type: 'quantitative', title: 'Count'}},
    layer: [{mark: 'bar'}, {mark: {type: 'text', align: 'left', dx: 4}, encoding: {text: {field: 'count'}}}]
  }
}

/** The font folders come as the first argument (draw.ts): the bundled script cannot find the packages itself. */
const renderer = new FigureRenderer(JSON.parse(process.argv[2]) as FontFolders)
/** Figures are drawn one after another (and after the warm-up): Vega's text measurement and SVG ids are global. */
let drawing: Promise<unknown> = Promise.resolve()
let asked = false

const send = (reply: DrawReply) => process.send!(reply)

process.on('message', ({figure}: DrawRequest) => {
  asked = true
  drawing = drawing.then(() => draw(figure))
})
process.on('disconnect', () => process.exit(0))
// A figure already waiting has been received by now (the channel is read before immediates run): no warm-up then.
setImmediate(() => {
  if (!asked) drawing = renderer.render(warmUpFigure).catch(() => undefined)
})

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
