/** Opening a project: its files and its config, before anything else is read. */
import {VFile} from 'vfile'
import type {VFileMessage} from 'vfile-message'
import {DependencyGraph} from '../graph/dependency-graph.ts'
import {ProjectFiles} from '../graph/project-files.ts'
import type {NewFileWriter} from '../graph/write-atomically.ts'
import type {MetadataPlace} from '../transforms/front-matter.ts'
import {configFileNames, loadConfig, type ProjectConfig} from './config.ts'

export interface OpenProject {
  files: ProjectFiles
  config: ProjectConfig
  /** Problems found in the config file, reported with the manuscript's. */
  configMessages: VFileMessage[]
  /** Where each key of the config file is written. */
  configPlaces: Record<string, MetadataPlace>
}

/** Open a project: its files (with a fresh dependency graph) and its config. `writeNew` as for ProjectFiles. */
export function openProject(root: string, writeNew?: NewFileWriter): OpenProject {
  const files = new ProjectFiles(root, new DependencyGraph(), writeNew)
  const configFile = new VFile({path: 'manuscript.yaml'})
  const {config, path: configPath, keyPlaces = {}} = loadConfig(files, configFile)
  const configPlaces = Object.fromEntries(Object.entries(keyPlaces).map(([key, place]) => [key, {sourceFile: configPath ?? configFileNames[0], ...place}]))
  return {files, config, configMessages: configFile.messages, configPlaces}
}
