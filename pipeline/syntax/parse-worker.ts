/**
 * A parse worker's main script (compiled to dist/parse-worker.mjs; see parse-pool.ts): parses each text it is sent
 * with parseText and sends back the tree, or the error the parse threw.
 */
import {parentPort} from 'node:worker_threads'
import {parseText} from './parse.ts'

export interface ParseRequest {
  source: string
  sourceFile: string
}

export type ParseReply = {tree: import('mdast').Root; error?: undefined} | {error: {name: string; message: string}}

parentPort?.on('message', ({source, sourceFile}: ParseRequest) => {
  let reply: ParseReply
  try {
    reply = {tree: parseText(source, sourceFile)}
  } catch (error) {
    reply = {error: {name: (error as Error).name ?? 'Error', message: (error as Error).message ?? String(error)}}
  }
  parentPort!.postMessage(reply)
})
