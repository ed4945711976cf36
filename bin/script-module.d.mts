import type {Script} from 'node:vm'

export function runScriptModule<T>(code: string, cachedData?: Buffer): {exports: T; script: Script}
