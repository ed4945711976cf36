/**
 * The figure process's main script (compiled to dist/figure-worker.mjs; see draw.ts): draws each figure it is sent
 * with Vega (render.ts) and sends back the SVG, or the error. It says when it starts on a figure, so that the time
 * limit counts the drawing and not Vega loading, and it ends with the pipeline (when the channel closes).
 */
import type {FigureModel} from '../tables/model.ts'
import type {FontFolders} from './font-files.ts'
import {FigureRenderer} from './render.ts'

export interface DrawRequest {
  figure: FigureModel
  fontFolders: FontFolders
}

export type DrawReply = {type: 'started'} | {type: 'drawn'; svg: string} | {type: 'refused'; message: string}

let renderer: FigureRenderer | undefined

const send = (reply: DrawReply) => process.send!(reply)

process.on('message', async ({figure, fontFolders}: DrawRequest) => {
  send({type: 'started'})
  let reply: DrawReply
  try {
    renderer ??= new FigureRenderer(fontFolders)
    reply = {type: 'drawn', svg: await renderer.render(figure)}
  } catch (error) {
    reply = {type: 'refused', message: error instanceof Error ? error.message : String(error)}
  }
  send(reply)
})
process.on('disconnect', () => process.exit(0))
