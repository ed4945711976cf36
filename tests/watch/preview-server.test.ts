/** The preview server: 127.0.0.1 only, the output folder only, the live-reload script only in the served page. */
import {mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync} from 'node:fs'
import {request} from 'node:http'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {eventsPath} from '../../pipeline/watch/client.ts'
import {PreviewServer} from '../../pipeline/watch/preview-server.ts'
import {removeProject} from '../support/project.ts'

let project: string
let output: string
let server: PreviewServer
const page = '<!doctype html><html><head><title>Paper</title></head><body><p>Text</p></body></html>'

beforeAll(async () => {
  project = mkdtempSync(path.join(tmpdir(), 'watch-preview-'))
  output = path.join(project, 'build')
  mkdirSync(path.join(output, 'paper_files'), {recursive: true})
  mkdirSync(path.join(output, '.cache'))
  writeFileSync(path.join(output, 'paper.html'), page)
  writeFileSync(path.join(output, 'paper_files/style.css'), 'p {}')
  writeFileSync(path.join(output, '.cache/mdast.json'), '{}')
  writeFileSync(path.join(project, 'secret.txt'), 'not served')
  symlinkSync(path.join(project, 'secret.txt'), path.join(output, 'link.txt'))
  server = await PreviewServer.start({port: 0, output: () => ({folder: output, page: 'paper.html'})})
})

afterAll(async () => {
  await server?.close()
  removeProject(project)
})

function get(pathname: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{status: number; body: string; type?: string}> {
  return new Promise((resolve, reject) => {
    const outgoing = request({host: '127.0.0.1', port: server.port, path: pathname, method, headers}, (response) => {
      let body = ''
      response.setEncoding('utf8')
      response.on('data', (chunk) => (body += chunk))
      response.on('end', () => resolve({status: response.statusCode ?? 0, body, type: response.headers['content-type']}))
    })
    outgoing.on('error', reject)
    outgoing.end()
  })
}

describe('the preview server', () => {
  it('listens on 127.0.0.1 at a free port and says so in its URL', () => {
    expect(server.port).toBeGreaterThan(0)
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`)
  })

  it('serves the page at / and by name with the live-reload script, leaving the file on disk as it was', async () => {
    for (const pathname of ['/', '/paper.html']) {
      const response = await get(pathname)
      expect(response.status).toBe(200)
      expect(response.type).toMatch(/^text\/html/)
      expect(response.body).toMatch(/<p>Text<\/p><script data-manuscript-watch>[\s\S]*<\/script><\/body>/)
      expect(response.body).toContain(eventsPath)
    }
    expect(readFileSync(path.join(output, 'paper.html'), 'utf8')).toBe(page)
  })

  it('serves files of the output folder and nothing else', async () => {
    expect(await get('/paper_files/style.css')).toMatchObject({status: 200, body: 'p {}', type: 'text/css; charset=utf-8'})
    expect((await get('/.cache/mdast.json')).status).toBe(404)
    expect((await get('/../secret.txt')).status).toBe(404)
    expect((await get('/%2e%2e/secret.txt')).status).toBe(404)
    expect((await get('/paper_files/..%2f..%2fsecret.txt')).status).toBe(404)
    expect((await get('/link.txt')).status).toBe(404)
    expect((await get('/nothing.html')).status).toBe(404)
  })

  it('answers only requests addressed to itself, and only GET and HEAD', async () => {
    expect((await get('/', {host: 'attacker.example'})).status).toBe(403)
    expect((await get('/', {}, 'POST')).status).toBe(405)
  })

  it('tells connected readers about each build: a new render, or the errors of a failed one', async () => {
    const received: string[] = []
    const stream = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
      request({host: '127.0.0.1', port: server.port, path: eventsPath}, resolve).on('error', reject).end()
    })
    stream.setEncoding('utf8')
    stream.on('data', (chunk: string) => received.push(...chunk.split('\n').filter((line) => line.startsWith('data: ')).map((line) => line.slice(6))))
    const next = async (count: number) => {
      for (let tries = 0; received.length < count && tries < 200; tries++) await new Promise((resolve) => setTimeout(resolve, 10))
      return JSON.parse(received[count - 1])
    }
    expect(await next(1)).toEqual({version: 0, errors: []})
    server.rendered()
    expect(await next(2)).toEqual({version: 1, errors: []})
    server.failed([{file: 'manuscript/manuscript.md', line: 3, column: 7, message: 'Bad YAML', rule: 'front-matter'}])
    expect(await next(3)).toEqual({version: 1, errors: [{file: 'manuscript/manuscript.md', line: 3, column: 7, message: 'Bad YAML', rule: 'front-matter'}]})
    expect(server.readers).toBe(1)
    stream.destroy()
  })
})
