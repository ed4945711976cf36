/**
 * citeproc-js, loaded on first use: a build whose citations come from the derived cache never needs it, and it is
 * a large module. (It is CommonJS, so `require` loads it synchronously.)
 */
import {createRequire} from 'node:module'
import type CSL from 'citeproc'

const require = createRequire(import.meta.url)
let loaded: typeof CSL | undefined

export function citeproc(): typeof CSL {
  loaded ??= require('citeproc') as typeof CSL
  return loaded
}
