export {main} from './main.ts'
// For scripts/compile.mjs, which writes the code caches of the libraries a build of the sample loaded.
export {libraryScripts} from '../script-module.ts'
