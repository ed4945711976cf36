/**
 * A worker thread's main script: `dist/<name>.mjs` beside the compiled CLI (scripts/compile.mjs); when running from
 * the TypeScript sources (tests), the source bundled into the temporary folder, named by the bundle's content, so
 * that test processes share it safely and never run a stale one.
 */
import {createHash} from 'node:crypto'
import {existsSync, readFileSync, renameSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'

/** `source` is the script's TypeScript file; `name` its compiled name in dist/ (without `.mjs`). */
export async function workerScript(source: string, name: string): Promise<string> {
  const here = path.dirname(source)
  if (existsSync(source)) return bundleFromSource(source, name)
  for (let folder = here; path.dirname(folder) !== folder; folder = path.dirname(folder)) {
    const compiled = path.join(folder, `dist/${name}.mjs`)
    if (existsSync(compiled) && isOurPackage(folder)) return compiled
  }
  throw new Error(`The worker script dist/${name}.mjs is missing from the manuscript-pipeline package near ${here}; run \`npm run compile\`.`)
}

async function bundleFromSource(source: string, name: string): Promise<string> {
  const esbuild = await import('esbuild')
  const result = await esbuild.build({entryPoints: [source], bundle: true, format: 'esm', platform: 'node', target: 'node20', write: false, logLevel: 'silent', banner: {js: "import {createRequire as __createRequire} from 'node:module'; const require = __createRequire(import.meta.url);"}})
  const code = result.outputFiles[0].contents
  const target = path.join(tmpdir(), `manuscript-${name}-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`)
  if (!existsSync(target)) {
    const temporary = `${target}.${process.pid}.tmp`
    writeFileSync(temporary, code)
    renameSync(temporary, target)
  }
  return target
}

function isOurPackage(folder: string): boolean {
  try {
    return JSON.parse(readFileSync(path.join(folder, 'package.json'), 'utf8')).name === 'manuscript-pipeline'
  } catch {
    return false
  }
}
