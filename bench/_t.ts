import {readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {performance} from 'node:perf_hooks'
import {parseBibtex} from '../pipeline/bibliography/bibtex.ts'
const text = readFileSync(process.argv[2], 'utf8')
const require = createRequire(import.meta.url)
let t = performance.now()
const file = require('@citation-js/plugin-bibtex/lib/input/file.js')
console.log('load', (performance.now() - t).toFixed(0)); t = performance.now()
const raw = file.parse(text)
console.log('grammar', (performance.now() - t).toFixed(0), raw.length); t = performance.now()
const parsed = parseBibtex(text + ' ')
console.log('full parseBibtex', (performance.now() - t).toFixed(0), parsed.items.length); t = performance.now()
const json = JSON.stringify(parsed)
console.log('stringify', (performance.now() - t).toFixed(0), json.length); t = performance.now()
JSON.parse(json)
console.log('JSON.parse', (performance.now() - t).toFixed(0))
