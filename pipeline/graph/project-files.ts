/**
 * The one function through which the build reads any file: it resolves the path inside the project, reads it,
 * and records the dependency edge (importer -> file) and the content hash in the graph, so watch mode can never
 * miss an input.
 *
 * It is also where the build is kept inside its project: a path that resolves outside the project folder (`../`,
 * an absolute path, a symbolic link pointing elsewhere) is refused unless the config allows its folder
 * (`allowed-folders`), and a file too large to be a manuscript input is refused before it is read, so that no
 * input can exhaust the memory or stall the build for minutes.
 *
 * Writes go through it too (outputs, generated tables, the derived cache), and only into real folders of the
 * project: a folder on the way that is a symbolic link (`build -> ../elsewhere`) would carry the write out of it, so
 * the output folder is checked before a build (`outputFolderProblem`, a located error) and every write again
 * (`outputFolder`).
 */
import {isUtf8} from 'node:buffer'
import {createHash} from 'node:crypto'
import {lstatSync, mkdirSync, readdirSync, readlinkSync, realpathSync, rmdirSync, statSync, unlinkSync} from 'node:fs'
import path from 'node:path'
import {DependencyGraph} from './dependency-graph.ts'
import {readKept, type FileReads, type KeptRead} from './file-reads.ts'
import {EnvironmentError} from '../cli/errors.ts'
import {writeAtomically, writeNewFile, type NewFileWriter} from './write-atomically.ts'

/** Who reads: a project-relative file path, or a pseudo-importer such as `<config>` or `<build>`. */
export type Importer = string

/** Why a file is not read. `message` names the file, the problem and the way out, ready to follow "Cannot …:". */
export interface InputRefusal {
  kind: 'outside-project' | 'file-too-large'
  /** Project-relative path as resolved (may start with `../`). */
  path: string
  message: string
}

/** The first usable file among candidate paths, or why there is none. */
export type Location = {found: string; refused?: undefined} | {found?: undefined; refused: InputRefusal} | {found?: undefined; refused?: undefined; missing: string[]}

/** A text file that is not UTF-8 text: binary (NUL bytes), or another encoding, at its first bad byte. */
export interface TextProblem {
  kind: 'binary' | 'encoding'
  line: number
  column: number
  message: string
}

/** Thrown by a read that confinement or the size limits refuse; callers that locate files first never meet it. */
export class RefusedInputError extends Error {
  override name = 'RefusedInputError'
  constructor(readonly refusal: InputRefusal) {
    super(refusal.message)
  }
}

/** A write that would leave the project through a symbolic link; the message names the link and what to do. */
export class OutsideProjectWriteError extends EnvironmentError {
  override name = 'OutsideProjectWriteError'
}

const megabyte = 1024 * 1024

/**
 * The largest file read, by kind. Markdown is parsed into a syntax tree some 300 times its size, at about 3 s a
 * megabyte: a 200-page book is 1 MB. Data, bibliographies and images are read whole into memory.
 */
export const inputSizeLimits = {markdown: 2 * megabyte, other: 64 * megabyte} as const

const markdownExtension = /\.(md|markdown|txt|qmd|rmd)$/i

export class ProjectFiles {
  readonly root: string
  readonly graph: DependencyGraph
  private readonly texts = new Map<string, string>()
  private readonly bytes = new Map<string, Buffer>()
  private readonly textProblems = new Map<string, TextProblem | undefined>()
  /** This build's reads, for the decoded text of a kept read. */
  private readonly readsOfBuild = new Map<string, KeptRead>()
  /** The reads of the session's last build (watch mode), used while the files are unchanged; see file-reads.ts. */
  private keptReads?: FileReads
  /**
   * What the file system said of a path, once per build: a long manuscript names each figure many times, and watch
   * mode rebuilds it on every save. A file this build writes is looked at again.
   */
  private readonly refusals = new Map<string, InputRefusal | undefined>()
  /** Each path's project-relative form (relative()). */
  private readonly relatives = new Map<string, string>()
  private readonly regularFiles = new Map<string, boolean>()
  /** The root and the allowed folders, with symbolic links resolved. */
  private realRoot: string
  private allowed: {written: string; real: string}[] = []

  /** `writeNew` writes the bytes of each new file (tests pass one that fails as a full disk does). */
  constructor(
    root: string,
    graph = new DependencyGraph(),
    private readonly writeNew: NewFileWriter = writeNewFile
  ) {
    this.root = path.resolve(root)
    this.graph = graph
    this.realRoot = realOrSelf(this.root)
  }

  /** Project-relative path (forward slashes) of an absolute or root-relative path. */
  relative(file: string): string {
    // Asked for the same paths again and again (each image, read and include): a thousand times in a book's build.
    let relative = this.relatives.get(file)
    if (relative === undefined) {
      relative = path.relative(this.root, path.resolve(this.root, file)).split(path.sep).join('/')
      this.relatives.set(file, relative)
    }
    return relative
  }

  absolute(file: string): string {
    return path.resolve(this.root, file)
  }

  /** Folders outside the project that may be read (the config's `allowed-folders`), absolute or root-relative. */
  allowFolders(folders: string[]): void {
    this.refusals.clear()
    this.allowed = folders.map((folder) => {
      const absolute = this.absolute(folder)
      return {written: folder, real: realOrSelf(absolute)}
    })
  }

  /**
   * A path for outputs (the manifest, asset names) that is the same wherever the project is: project-relative for
   * a file of the project; for a file of an allowed folder, that folder as the config writes it (`../shared`,
   * `/srv/lab`) and the rest of the path. Project-relative paths of files outside would depend on the project's place.
   */
  portablePath(file: string): string {
    const relative = this.relative(file)
    if (!relative.startsWith('../') && relative !== '..') return relative
    const absolute = this.absolute(relative)
    for (const allowed of this.allowed) {
      const within = path.relative(this.absolute(allowed.written), absolute)
      if (within === '' || within.startsWith('..') || path.isAbsolute(within)) continue
      return path.posix.join(allowed.written.split(path.sep).join('/'), within.split(path.sep).join('/'))
    }
    return relative
  }

  /** Why `file` may not be read (outside the project and the allowed folders, or too large); undefined if it may. */
  refusal(file: string): InputRefusal | undefined {
    if (this.refusals.has(file)) return this.refusals.get(file)
    const refusal = this.judge(file)
    this.refusals.set(file, refusal)
    return refusal
  }

  private judge(file: string): InputRefusal | undefined {
    const relative = this.relative(file)
    const absolute = this.absolute(relative)
    let real: string | undefined
    try {
      // The system's realpath, one call: Node's own lstats each folder of the path in turn (2.5 ms of a book's rebuild).
      real = realpathSync.native(absolute)
    } catch {
      real = undefined
    }
    // A missing file is judged by where its path points; an existing one by where its links lead.
    const target = real ?? absolute
    if (!this.isInside(target)) {
      const link = real !== undefined && this.isInside(absolute, this.root) ? ` (a link to ${real})` : ''
      // A path written absolute is shown so; a relative one as it resolves from the project folder.
      const shown = path.isAbsolute(file) || path.isAbsolute(relative) ? absolute : relative
      return {
        kind: 'outside-project',
        path: relative,
        message: `\`${shown}\`${link} is outside the project folder, and a build reads only files inside it. Copy the file into the project, or allow its folder with \`allowed-folders:\` in manuscript.yaml`
      }
    }
    if (real === undefined) return undefined
    let size: number
    try {
      const stats = statSync(real)
      if (!stats.isFile()) return undefined
      size = stats.size
    } catch {
      return undefined
    }
    const markdown = markdownExtension.test(relative)
    const limit = markdown ? inputSizeLimits.markdown : inputSizeLimits.other
    if (size <= limit) return undefined
    return {
      kind: 'file-too-large',
      path: relative,
      message: `\`${relative}\` is ${formatMegabytes(size)}, more than the ${formatMegabytes(limit)} a ${markdown ? 'Markdown file' : 'file'} may have. ${markdown ? 'Split it into files of a chapter or section each and include them' : 'Make it smaller (summarise data before the table reads it; export images at print size)'}`
    }
  }

  /**
   * The first candidate that is a file the build may read; else the refusal of the first candidate that exists
   * but may not be read; else the candidates looked for (each recorded as missing, for watch mode).
   */
  locate(candidates: string[], importer: Importer): Location {
    for (const candidate of candidates) {
      const refused = this.refusal(candidate)
      if (refused && (refused.kind === 'file-too-large' || exists(this.absolute(candidate)))) {
        this.graph.addEdge(importer, this.relative(candidate))
        return {refused}
      }
      if (!refused && this.isFile(candidate, importer)) return {found: this.relative(candidate)}
    }
    // Where every candidate is outside, the path itself is the problem, whether or not a file is there.
    const refusals = candidates.map((candidate) => this.refusal(candidate))
    if (refusals.length > 0 && refusals.every((refusal) => refusal?.kind === 'outside-project')) return {refused: refusals[0]!}
    for (const candidate of candidates) {
      const relative = this.relative(candidate)
      this.graph.missing.add(relative)
      this.graph.addEdge(importer, relative)
    }
    return {missing: candidates.map((candidate) => this.relative(candidate))}
  }

  /**
   * Is there a regular file at `file` that the build may read? Records a missing path so that its appearance
   * triggers a rebuild. A refused file (outside the project, too large) is not one: `refusal()` says why.
   */
  isFile(file: string, importer: Importer): boolean {
    const relative = this.relative(file)
    if (this.refusal(relative)) {
      this.graph.addEdge(importer, relative)
      return false
    }
    let regular = this.regularFiles.get(relative)
    if (regular === undefined) {
      try {
        regular = statSync(this.absolute(relative)).isFile()
      } catch {
        regular = false
      }
      this.regularFiles.set(relative, regular)
    }
    if (regular) return true
    this.graph.missing.add(relative)
    this.graph.addEdge(importer, relative)
    return false
  }

  /**
   * Use (and keep) the reads of the session's earlier builds: a file whose stat proves it unchanged is not read,
   * hashed and decoded again. Called before the build reads anything it keeps.
   */
  useKeptReads(reads: FileReads): void {
    reads.nextBuild()
    this.keptReads = reads
  }

  /** A file's bytes; read and hashed once per build (eight table definitions reading one CSV read it once). */
  readBytes(file: string, importer: Importer): Buffer {
    const relative = this.relative(file)
    this.graph.addEdge(importer, relative)
    const cached = this.bytes.get(relative)
    if (cached) return cached
    const refused = this.refusal(relative)
    if (refused) throw new RefusedInputError(refused)
    let read: KeptRead
    try {
      read = readKept(this.absolute(relative), this.keptReads)
    } catch (error) {
      this.graph.missing.add(relative)
      throw error
    }
    this.graph.missing.delete(relative)
    this.graph.hashes.set(relative, read.hash)
    this.bytes.set(relative, read.bytes)
    this.readsOfBuild.set(relative, read)
    return read.bytes
  }

  /** The SHA-256 (hex) of a file's content, read through readBytes. */
  hashOf(file: string, importer: Importer): string {
    const relative = this.relative(file)
    this.readBytes(relative, importer)
    return this.graph.hashes.get(relative)!
  }

  /** A file's text; read once per build, so every stage sees the same content. */
  readText(file: string, importer: Importer): string {
    const relative = this.relative(file)
    const cached = this.texts.get(relative)
    if (cached !== undefined) {
      this.graph.addEdge(importer, relative)
      return cached
    }
    const bytes = this.readBytes(relative, importer)
    const read = this.readsOfBuild.get(relative)
    // Decoding a large file costs more than reading it (30 ms for a 3 MB `.bib`): a kept read keeps its text.
    const decoded = read?.text ?? {value: bytes.toString('utf8'), problem: this.textProblem(relative)}
    if (read) read.text = decoded
    this.texts.set(relative, decoded.value)
    this.textProblems.set(relative, decoded.problem)
    return decoded.value
  }

  /**
   * Whether a file read with `readText` or `readBytes` is really UTF-8 text; undefined when it is (or was not read).
   * Found from the bytes: a caller that needs no text (its result is in the derived cache) need not decode it.
   */
  textProblem(file: string): TextProblem | undefined {
    const relative = this.relative(file)
    if (!this.textProblems.has(relative)) {
      const bytes = this.bytes.get(relative)
      if (bytes === undefined) return undefined
      this.textProblems.set(relative, this.readsOfBuild.get(relative)?.text?.problem ?? textProblemOf(bytes, relative))
    }
    return this.textProblems.get(relative)
  }

  /** Is there a file at `file`? Only for the wording of messages: nothing is recorded in the graph. */
  hasFile(file: string): boolean {
    try {
      return statSync(this.absolute(file)).isFile()
    } catch {
      return false
    }
  }

  /** Is there a folder at `file` (for messages about a folder named where a file was expected)? */
  isFolder(file: string): boolean {
    try {
      return statSync(this.absolute(file)).isDirectory()
    } catch {
      return false
    }
  }

  /** Files directly in `folder` whose names end with `extension`, sorted; the folder listing is an input too. */
  listFolder(folder: string, extension: string, importer: Importer): string[] {
    const relative = this.relative(folder)
    this.graph.addEdge(importer, `${relative}/`)
    try {
      return readdirSync(this.absolute(relative))
        .filter((name) => name.endsWith(extension))
        .sort()
        .map((name) => (relative ? `${relative}/${name}` : name))
        .filter((candidate) => statSync(this.absolute(candidate)).isFile())
    } catch {
      return []
    }
  }

  /**
   * Why the build may not write into its output folder, or undefined if it may: the folder, a folder above it in
   * the project, or anything in it is a symbolic link. A link would carry outputs, assets and the cache wherever it
   * points (or let the printed page read from there); it is the author's to remove, never the build's to follow or
   * delete. Read before anything is written, so that the problem is reported like any other.
   */
  outputFolderProblem(outputDir: string): string | undefined {
    const folder = this.absolute(outputDir)
    let current = this.root
    for (const part of path.relative(this.root, folder).split(path.sep).filter(Boolean)) {
      current = path.join(current, part)
      const stats = lstatSync(current, {throwIfNoEntry: false})
      if (!stats) return undefined
      if (stats.isSymbolicLink()) return `${this.linkProblem(current)}, or choose another output folder with \`output-dir:\` in manuscript.yaml`
      if (!stats.isDirectory()) return `\`${this.relative(current)}\` is a file where the output folder \`${outputDir}\` should be. Move the file away, or choose another folder with \`output-dir:\` in manuscript.yaml`
    }
    const pending = [folder]
    for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
      for (const entry of readdirSync(next, {withFileTypes: true})) {
        const inside = path.join(next, entry.name)
        if (entry.isSymbolicLink()) return this.linkProblem(inside)
        if (entry.isDirectory()) pending.push(inside)
      }
    }
    return undefined
  }

  private linkProblem(link: string): string {
    let target = '?'
    try {
      target = readlinkSync(link)
    } catch {
      // Gone meanwhile: the message still names it.
    }
    return `\`${this.relative(link)}\` is a symbolic link (to ${target}), and a build writes only into real folders of the project: through the link it would write (or read) where it points. Remove the link (\`rm ${this.relative(link)}\`; what it points to stays) and build again`
  }

  /**
   * Make `folder` (absolute, or relative to the root) a folder of the project, creating what is missing, and return
   * its absolute path. Every part from the root down that exists must be a folder, and a link only to a folder of
   * the project, so that nothing written into it lands outside; else an OutsideProjectWriteError.
   */
  outputFolder(folder: string): string {
    return this.checkedFolder(folder, true)!
  }

  /** outputFolder's walk; without `create`, undefined where a part is missing (nothing is made). */
  private checkedFolder(folder: string, create: boolean): string | undefined {
    const absolute = this.absolute(folder)
    const relative = path.relative(this.root, absolute)
    if (relative.startsWith('..') || path.isAbsolute(relative)) throw new OutsideProjectWriteError(`Cannot write into ${absolute}: it is outside the project folder ${this.root}, and a build writes only inside it.`)
    let current = this.root
    for (const part of relative.split(path.sep).filter(Boolean)) {
      current = path.join(current, part)
      let stats = lstatSync(current, {throwIfNoEntry: false})
      if (!stats) {
        if (!create) return undefined
        try {
          mkdirSync(current)
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
        }
        stats = lstatSync(current)
      }
      // A link that stays inside the project (`tables -> data/tables`) is followed, as reads follow it.
      if (stats.isSymbolicLink() && !this.isInside(realOrSelf(current), this.realRoot)) {
        throw new OutsideProjectWriteError(`Cannot write into ${this.relative(absolute)}: ${this.linkProblem(current)}.`)
      }
      if (stats.isSymbolicLink()) stats = statSync(current)
      if (!stats.isDirectory()) throw new OutsideProjectWriteError(`Cannot write into ${this.relative(absolute)}: \`${this.relative(current)}\` is a file, not a folder. Move it away and build again.`)
    }
    return absolute
  }

  /**
   * Write a file of the project (an output, a cache entry) atomically, into a real folder of the project (see
   * `outputFolder`). A disk that is full or read-only gives a WriteFailedError naming the file.
   */
  writeOutput(file: string, content: string | Uint8Array): void {
    const absolute = this.absolute(file)
    this.outputFolder(path.dirname(absolute))
    writeAtomically(absolute, content, {writeNew: this.writeNew, shownAs: this.relative(absolute)})
  }

  /**
   * Remove a file an earlier build wrote, when it is still exactly what that build wrote (`sha256`): a regular file in
   * a real folder of the project (see `outputFolder`), not a link. The folders it leaves empty are removed too, up to
   * `keepFolder`. Returns whether it was removed; a file edited since, or gone, is left as it is.
   */
  removeOutput(file: string, sha256: string, keepFolder: string): boolean {
    const absolute = this.absolute(file)
    const keep = this.absolute(keepFolder)
    if (!this.isInside(absolute, keep) || absolute === keep) return false
    try {
      if (this.checkedFolder(path.dirname(absolute), false) === undefined) return false
      if (!lstatSync(absolute, {throwIfNoEntry: false})?.isFile()) return false
      if (readKept(absolute, undefined).hash !== sha256) return false
      unlinkSync(absolute)
    } catch {
      // A copy in a folder that is not the project's (a link out of it), or that cannot be read or removed (its
      // permissions changed), is left where it is: it costs the build nothing.
      return false
    }
    this.keptReads?.forget(absolute)
    try {
      for (let folder = path.dirname(absolute); folder !== keep && this.isInside(folder, keep); folder = path.dirname(folder)) {
        if (readdirSync(folder).length > 0) break
        rmdirSync(folder)
      }
    } catch {
      // A folder another process has just written into stays.
    }
    return true
  }

  /**
   * Write a generated file of the project (a table made from data) atomically. Later stages of the same build
   * read the new text, and its hash is what the graph holds.
   */
  writeText(file: string, text: string): void {
    const relative = this.relative(file)
    this.writeOutput(relative, text)
    this.keptReads?.forget(this.absolute(relative))
    this.readsOfBuild.delete(relative)
    this.refusals.clear()
    this.regularFiles.delete(relative)
    this.texts.set(relative, text)
    this.bytes.set(relative, Buffer.from(text, 'utf8'))
    this.textProblems.delete(relative)
    this.graph.missing.delete(relative)
    this.graph.hashes.set(relative, createHash('sha256').update(text).digest('hex'))
  }

  /** Is `target` (an absolute path) inside `folder`, or by default inside the project or an allowed folder? */
  private isInside(target: string, folder?: string): boolean {
    const folders = folder ? [folder] : [this.root, this.realRoot, ...this.allowed.flatMap((allowed) => [this.absolute(allowed.written), allowed.real])]
    return folders.some((candidate) => {
      const relative = path.relative(candidate, target)
      return relative === '' || (!relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative))
    })
  }
}

function realOrSelf(file: string): string {
  try {
    return realpathSync(file)
  } catch {
    return file
  }
}

function exists(file: string): boolean {
  try {
    statSync(file)
    return true
  } catch {
    return false
  }
}

function formatMegabytes(bytes: number): string {
  return `${(bytes / megabyte).toFixed(bytes < 10 * megabyte ? 1 : 0)} MB`
}

/** Bytes that are not UTF-8 text: NUL bytes near the start (as git decides), else the first invalid sequence. */
function textProblemOf(bytes: Buffer, relative: string): TextProblem | undefined {
  const head = bytes.subarray(0, 8000)
  const nul = head.indexOf(0)
  if (nul !== -1) {
    const {line, column} = placeOfByte(bytes, nul)
    return {kind: 'binary', line, column, message: `\`${relative}\` is not a text file (it holds a NUL byte at line ${line}; text in UTF-16 must be saved as UTF-8)`}
  }
  if (isUtf8(bytes)) return undefined
  // Text in another encoding has almost no control characters; binary data has one byte in ten.
  let controls = 0
  for (const byte of head) if (byte < 0x09 || (byte > 0x0d && byte < 0x20 && byte !== 0x1b) || byte === 0x7f) controls++
  if (controls > head.length / 50) return {kind: 'binary', line: 1, column: 1, message: `\`${relative}\` is not a text file (its bytes are binary data, not text)`}
  const offset = firstInvalidUtf8(bytes)
  const {line, column} = placeOfByte(bytes, offset)
  const byte = bytes[offset]
  const latin1 = Buffer.from([byte]).toString('latin1')
  const guess = byte >= 0xa0 ? ` ("${latin1}" in Latin-1)` : ''
  return {
    kind: 'encoding',
    line,
    column,
    message: `\`${relative}\` is not UTF-8: byte 0x${byte.toString(16).toUpperCase().padStart(2, '0')}${guess} at line ${line}, column ${column}. Save the file as UTF-8 (in Excel: "CSV UTF-8"; in R: \`fileEncoding = "UTF-8"\`; in an editor: "Save with encoding")`
  }
}

/** 1-based line and column (in characters) of a byte offset. */
function placeOfByte(bytes: Buffer, offset: number): {line: number; column: number} {
  let line = 1
  let lineStart = 0
  for (let index = bytes.indexOf(10); index !== -1 && index < offset; index = bytes.indexOf(10, index + 1)) {
    line++
    lineStart = index + 1
  }
  return {line, column: bytes.subarray(lineStart, offset).toString('utf8').length + 1}
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidUtf8(bytes: Buffer): number {
  let index = 0
  while (index < bytes.length) {
    const byte = bytes[index]
    const length = byte < 0x80 ? 1 : byte >= 0xc2 && byte <= 0xdf ? 2 : byte >= 0xe0 && byte <= 0xef ? 3 : byte >= 0xf0 && byte <= 0xf4 ? 4 : 0
    if (length === 0) return index
    for (let next = 1; next < length; next++) {
      const continuation = bytes[index + next]
      if (continuation === undefined || (continuation & 0xc0) !== 0x80) return index
    }
    // Overlong and surrogate forms are not checked here: isUtf8 said something is wrong, and this finds the usual case.
    index += length
  }
  return Math.min(index, bytes.length - 1)
}
