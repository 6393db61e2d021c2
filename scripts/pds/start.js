#!/usr/bin/env node
// Starts a PLC directory and an AT Protocol PDS for postguard's Bluesky tests.
//
// Both servers listen on 127.0.0.1 only, on free ports, with their data in a
// temporary directory that is removed on exit. No invite codes are required,
// no AppView, relay or crawler is configured, and nothing is contacted outside
// this machine. When both are ready, one line of JSON is printed on stdout:
//
//   {"ready": true, "pds_url": "http://localhost:PORT", "plc_url": "...", ...}
//
// The process runs until it receives SIGTERM or SIGINT, or until its stdin
// closes (so a test runner that dies does not leave it behind).
'use strict'

const crypto = require('node:crypto')
const fs = require('node:fs')
const http = require('node:http')
const net = require('node:net')
const os = require('node:os')
const path = require('node:path')

const HOST = '127.0.0.1'

// Servers from these packages call app.listen(port), which binds every
// interface. Route their listen through a server bound to loopback only.
function bindToLoopback(app) {
  app.listen = (port, ...rest) => {
    const callback = rest.find((arg) => typeof arg === 'function')
    return http.createServer(app).listen(port, HOST, callback)
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, HOST, () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

async function main() {
  const { PlcServer, Database } = require('@did-plc/server')
  const { PDS, envToCfg, envToSecrets } = require('@atproto/pds')
  const { Secp256k1Keypair } = require('@atproto/crypto')

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'postguard-pds-'))
  let plc = null
  let pds = null
  let stopping = false

  const stop = async (code) => {
    if (stopping) return
    stopping = true
    try {
      if (pds) await pds.destroy()
      if (plc) await plc.destroy()
    } catch (err) {
      process.stderr.write(`error while stopping: ${err && err.stack}\n`)
      code = code || 1
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true })
      process.exit(code)
    }
  }
  process.on('SIGTERM', () => stop(0))
  process.on('SIGINT', () => stop(0))
  process.stdin.on('end', () => stop(0))
  process.stdin.on('error', () => stop(0))
  process.stdin.resume()

  const plcPort = await freePort()
  plc = PlcServer.create({ db: Database.mock(), port: plcPort })
  bindToLoopback(plc.app)
  await plc.start()
  const plcUrl = `http://${HOST}:${plcPort}`

  const pdsPort = await freePort()
  const rotationKey = await Secp256k1Keypair.create({ exportable: true })
  const rotationKeyHex = Buffer.from(await rotationKey.export()).toString('hex')
  const adminPassword = crypto.randomBytes(18).toString('hex')
  const env = {
    devMode: true,
    port: pdsPort,
    hostname: 'localhost',
    dataDirectory: dataDir,
    blobstoreDiskLocation: path.join(dataDir, 'blobs'),
    didPlcUrl: plcUrl,
    serviceHandleDomains: ['.test'],
    inviteRequired: false,
    rateLimitsEnabled: false,
    crawlers: [],
    jwtSecret: crypto.randomBytes(32).toString('hex'),
    adminPassword,
    plcRotationKeyK256PrivateKeyHex: rotationKeyHex,
    recoveryDidKey: rotationKey.did(),
  }
  pds = await PDS.create(envToCfg(env), envToSecrets(env))
  bindToLoopback(pds.app)
  await pds.start()

  process.stdout.write(
    JSON.stringify({
      ready: true,
      pds_url: `http://${HOST}:${pdsPort}`,
      public_url: `http://localhost:${pdsPort}`,
      pds_port: pdsPort,
      plc_url: plcUrl,
      handle_domain: '.test',
      admin_password: adminPassword,
      data_dir: dataDir,
      pid: process.pid,
    }) + '\n',
  )
}

main().catch((err) => {
  process.stderr.write(`postguard test PDS failed to start: ${err && err.stack}\n`)
  process.exit(1)
})
