/**
 * The citeproc worker's main script (compiled to dist/citeproc-worker.mjs; see citeproc-worker-host.ts). It loads
 * citeproc-js and citation-js and compiles the default style as soon as it starts, reads the `.bib` files it is
 * sent, and then formats with the same code as the main thread would (engine.ts's local host), answering each call
 * through the shared flag the caller waits on.
 */
import {createRequire} from 'node:module'
import {type MessagePort, workerData} from 'node:worker_threads'
import {parseBibtex, readBibtex, type BibtexMemo} from './bibtex.ts'
import {citeproc} from './citeproc-module.ts'
import {createLocalCiteprocHost, type FormatRequest} from './engine.ts'
import {builtInCitationStyle, prepareCitationStyle, type StyleMemo} from './style.ts'

/** A call the main thread waits for: its answer is posted, then the flag set to 1. */
export type CiteprocCall =
  | {kind: 'styleInfo'; styleXml: string; lang: string}
  | {kind: 'format'; styleXml: string; request: FormatRequest}
  | {kind: 'bibliography'; styleXml: string; request: FormatRequest}
  | {kind: 'parseBibtex'; text: string; convertOnly?: string[]}

/** Work sent ahead, answered by nothing: a `.bib` file's text to read. */
export type CiteprocHint = {kind: 'readBibtex'; text: string}

export type CiteprocReply = {value: unknown; error?: undefined} | {error: {name: string; message: string}}

export interface CiteprocWorkerData {
  port: MessagePort
  /** Int32 flag: 0 while a call runs, 1 once its answer is posted. */
  answered: SharedArrayBuffer
}

// A script that cannot load the libraries (bundled away from node_modules) ends at once: the main thread then does
// the work, rather than report a missing module as a failure of the style.
try {
  const require = createRequire(import.meta.url)
  require.resolve('citeproc')
  require.resolve('@citation-js/plugin-bibtex/lib/input/file.js')
} catch {
  process.exit(1)
}

const {port, answered} = workerData as CiteprocWorkerData
const flag = new Int32Array(answered)
const styleMemo: StyleMemo = {styles: new Map(), locales: new Map()}
const bibtexMemo: BibtexMemo = {reads: new Map(), parses: new Map()}
const host = createLocalCiteprocHost(styleMemo)
/** A style sent as XML: the main thread checked it already. */
const styleOf = (xml: string) => prepareCitationStyle(xml, 'style', true, styleMemo)

function answer(call: CiteprocCall): unknown {
  switch (call.kind) {
    case 'styleInfo':
      return host.styleInfo(styleOf(call.styleXml), call.lang)
    case 'format':
      return host.format(styleOf(call.styleXml), call.request)
    case 'bibliography':
      return host.bibliography(styleOf(call.styleXml), call.request)
    case 'parseBibtex':
      return parseBibtex(call.text, {convertOnly: call.convertOnly ? new Set(call.convertOnly) : undefined, memo: bibtexMemo})
  }
}

port.on('message', (message: CiteprocCall | CiteprocHint) => {
  if (message.kind === 'readBibtex') {
    // Read ahead: a later parseBibtex of the same text only converts the entries cited.
    if (!bibtexMemo.reads.has(message.text)) {
      try {
        bibtexMemo.reads.set(message.text, readBibtex(message.text))
      } catch {
        // The call that needs it reads it again, and reports what goes wrong.
      }
    }
    return
  }
  let reply: CiteprocReply
  try {
    reply = {value: answer(message)}
  } catch (error) {
    reply = {error: {name: (error as Error)?.name ?? 'Error', message: (error as Error)?.message ?? String(error)}}
  }
  port.postMessage(reply)
  Atomics.store(flag, 0, 1)
  Atomics.notify(flag, 0)
})

// What every first build with citations needs, loaded while the main thread parses: citeproc-js, the default style
// (Chicago author-date, pandoc's) compiled for en-US, and citation-js's BibTeX reader.
setImmediate(() => {
  try {
    citeproc()
    host.styleInfo(builtInCitationStyle('chicago-author-date', styleMemo), 'en-US')
    readBibtex('')
  } catch {
    // Nothing is lost: each call loads what it needs.
  }
})
