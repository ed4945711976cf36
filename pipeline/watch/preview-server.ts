/**
 * The preview: an HTTP server on 127.0.0.1 only that serves the build's output folder and nothing else. The page
 * (at `/` and at `/<name>.html`) gets the live-reload script added as it is served; the file on disk stays as the
 * build wrote it. Readers are told about each build by server-sent events (see client.ts).
 */
import {createReadStream, readFileSync, realpathSync, statSync} from 'node:fs'
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'
import path from 'node:path'
import {clientScript, eventsPath, type PreviewError, type PreviewState} from './client.ts'

export interface PreviewServerOptions {
  /** 0 or undefined: a free port. */
  port?: number
  /** The output folder (absolute) and the HTML file's name in it; asked on every request, as a build may change them. */
  output(): {folder: string; page: string}
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.pdf': 'application/pdf',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.json': 'application/json'
}

export const previewHost = '127.0.0.1'

export class PreviewServer {
  private readonly server: Server
  private readonly streams = new Set<ServerResponse>()
  private state: PreviewState = {version: 0, errors: []}
  private heartbeat: NodeJS.Timeout | undefined
  private listeningPort = 0

  private constructor(private readonly options: PreviewServerOptions) {
    this.server = createServer((request, response) => this.handle(request, response))
  }

  static async start(options: PreviewServerOptions): Promise<PreviewServer> {
    const preview = new PreviewServer(options)
    await new Promise<void>((resolve, reject) => {
      preview.server.once('error', reject)
      preview.server.listen(options.port ?? 0, previewHost, () => {
        preview.server.off('error', reject)
        resolve()
      })
    })
    preview.listeningPort = (preview.server.address() as AddressInfo).port
    // Comments keep idle event streams open through proxies and tell the server early about readers gone away.
    preview.heartbeat = setInterval(() => preview.broadcast(': keep-alive\n\n'), 15_000).unref()
    return preview
  }

  get port(): number {
    return this.listeningPort
  }

  get url(): string {
    return `http://${previewHost}:${this.port}/`
  }

  /** A build wrote a new render: readers reload it. */
  rendered(): void {
    this.state = {version: this.state.version + 1, errors: []}
    this.broadcastState()
  }

  /** The latest build failed: readers keep the last good render under an overlay listing the errors. */
  failed(errors: PreviewError[]): void {
    this.state = {version: this.state.version, errors}
    this.broadcastState()
  }

  /** How many readers are connected (for tests and the terminal). */
  get readers(): number {
    return this.streams.size
  }

  async close(): Promise<void> {
    clearInterval(this.heartbeat)
    for (const stream of this.streams) stream.end()
    this.streams.clear()
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()))
    this.server.closeAllConnections()
    await closed
  }

  private broadcastState(): void {
    this.broadcast(`data: ${JSON.stringify(this.state)}\n\n`)
  }

  private broadcast(chunk: string): void {
    for (const stream of this.streams) stream.write(chunk)
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    // Only this machine's own pages may talk to the server (a web page cannot reach it by rebinding a name to 127.0.0.1).
    const host = request.headers.host ?? ''
    if (host !== `${previewHost}:${this.port}` && host !== `localhost:${this.port}`) return this.refuse(response, 403, 'Forbidden')
    if (request.method !== 'GET' && request.method !== 'HEAD') return this.refuse(response, 405, 'Method not allowed')
    let pathname: string
    try {
      pathname = decodeURIComponent(new URL(request.url ?? '/', this.url).pathname)
    } catch {
      return this.refuse(response, 400, 'Bad request')
    }
    if (pathname === eventsPath) return this.openStream(request, response)
    const {folder, page} = this.options.output()
    if (pathname === '/' || pathname === `/${page}`) return this.servePage(response, path.join(folder, page), request.method === 'HEAD')
    this.serveFile(response, folder, pathname, request.method === 'HEAD')
  }

  private openStream(request: IncomingMessage, response: ServerResponse): void {
    response.writeHead(200, {'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive'})
    response.write(`retry: 500\ndata: ${JSON.stringify(this.state)}\n\n`)
    this.streams.add(response)
    request.on('close', () => this.streams.delete(response))
  }

  private servePage(response: ServerResponse, file: string, headOnly: boolean): void {
    let html: string
    try {
      html = readFileSync(file, 'utf8')
    } catch {
      // No good render yet (the first build failed): a blank page that still shows the errors and reloads.
      html = '<!doctype html><html><head><meta charset="utf-8"><title>Waiting for a build</title></head><body></body></html>'
    }
    const script = clientScript(this.state.version)
    const closing = html.lastIndexOf('</body>')
    const page = closing === -1 ? html + script : html.slice(0, closing) + script + html.slice(closing)
    response.writeHead(200, {'Content-Type': contentTypes['.html'], 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(page)})
    response.end(headOnly ? undefined : page)
  }

  private serveFile(response: ServerResponse, folder: string, pathname: string, headOnly: boolean): void {
    const parts = pathname.split('/').filter(Boolean)
    // Nothing hidden (the derived cache, temporary files) and no way out of the folder.
    if (parts.some((part) => part.startsWith('.') || part.includes('\\') || part.includes('\0'))) return this.refuse(response, 404, 'Not found')
    const file = path.join(folder, ...parts)
    let real: string
    let size: number
    try {
      real = realpathSync(file)
      const stats = statSync(real)
      if (!stats.isFile()) return this.refuse(response, 404, 'Not found')
      size = stats.size
    } catch {
      return this.refuse(response, 404, 'Not found')
    }
    const realFolder = realpathSync(folder)
    const relative = path.relative(realFolder, real)
    if (relative.startsWith('..') || path.isAbsolute(relative)) return this.refuse(response, 404, 'Not found')
    response.writeHead(200, {
      'Content-Type': contentTypes[path.extname(real).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': size,
      'Cache-Control': 'no-cache'
    })
    if (headOnly) {
      response.end()
      return
    }
    createReadStream(real)
      .on('error', () => response.destroy())
      .pipe(response)
  }

  private refuse(response: ServerResponse, status: number, text: string): void {
    response.writeHead(status, {'Content-Type': 'text/plain; charset=utf-8'})
    response.end(`${text}\n`)
  }
}
