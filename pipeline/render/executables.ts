/** Finding a program: an executable file, or a command on PATH. */
import {accessSync, constants, statSync} from 'node:fs'
import path from 'node:path'

/** An executable file named `command` in a folder of PATH. */
export function onPath(command: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const extensions = process.platform === 'win32' ? ['.exe', '.cmd', ''] : ['']
  for (const folder of (env.PATH ?? '').split(path.delimiter)) {
    if (!folder) continue
    for (const extension of extensions) {
      const candidate = path.join(folder, command + extension)
      if (isExecutableFile(candidate)) return candidate
    }
  }
  return undefined
}

export function isExecutableFile(candidate: string): boolean {
  try {
    if (!statSync(candidate).isFile()) return false
    accessSync(candidate, constants.X_OK)
    return true
  } catch {
    return false
  }
}
