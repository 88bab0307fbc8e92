// A downstream service stand-in that records what reaches it: the reference
// app's /downstream route calls it, and checks read back what it saw (did the
// request ID travel?). Run as its own process:
//   node harness/capture/capture-server.ts <port>
// GET /__captured lists the recorded requests (newest last, at most 500 kept).
import { createServer } from 'node:http'

export interface CapturedRequest {
  method: string
  url: string
  headers: Record<string, string | string[] | undefined>
  at: string
}

const MAX_KEPT = 500
const captured: CapturedRequest[] = []
const port = Number(process.argv[2])
if (!Number.isInteger(port) || port <= 0) {
  process.stderr.write('usage: capture-server.ts <port>\n')
  process.exit(2)
}

createServer((req, res) => {
  if (req.url === '/__captured') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(captured))
    return
  }
  captured.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, at: new Date().toISOString() })
  if (captured.length > MAX_KEPT) captured.shift()
  req.resume()
  res.writeHead(200, { 'content-type': 'application/json' }).end('{"captured":true}')
}).listen(port, '127.0.0.1')
