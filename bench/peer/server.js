// The peer: a PSA webhook receiver written the way a vendor's competent Node.js developer
// would write it — the built-in http module, kafkajs, one worker per core (node:cluster) — doing
// the same work as Switchyard's ingest: verify the signature over the raw bytes, decode the
// change, derive an idempotency key, wrap the raw body in an envelope and answer 202 only after
// the broker acknowledged the write (acks=-1). Requests that arrive together are batched into
// one produce request (flushed on the next turn of the event loop, at most 1,000 per batch).
//
//   BOOTSTRAP=host:port PORT=8090 TOPIC=peer.raw.v1 WORKERS=2 node server.js
'use strict';

const cluster = require('node:cluster');
const crypto = require('node:crypto');
const http = require('node:http');
const os = require('node:os');
const { Kafka, logLevel, Partitioners } = require('kafkajs');

const PORT = Number(process.env.PORT || 8090);
const TOPIC = process.env.TOPIC || 'peer.raw.v1';
const WORKERS = Number(process.env.WORKERS || os.availableParallelism());
const MAX_BODY = 256 * 1024;
const MAX_BATCH = 1000;

// The demo tenants' secrets, as in config/tenants.local.json.
const TENANTS = {
  connectwise: { acme: crypto.createHash('sha256').update('demo-signing-key').digest() },
  autotask: { globex: Buffer.from('demo-at-webhook-secret') },
};

if (cluster.isPrimary && WORKERS > 1) {
  for (let i = 0; i < WORKERS; i++) cluster.fork();
  cluster.on('exit', (worker, code) => {
    if (code !== 0) console.error(`peer worker ${worker.process.pid} exited with ${code}`);
  });
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      for (const id in cluster.workers) cluster.workers[id].kill(signal);
      process.exit(0);
    });
  }
} else {
  startWorker().catch((err) => {
    console.error('peer failed to start:', err);
    process.exit(1);
  });
}

function safeEqual(a, b) {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

function verify(psa, secret, headers, raw) {
  if (psa === 'connectwise') {
    const sig = headers['x-content-signature'] || '';
    return safeEqual(sig, crypto.createHmac('sha256', secret).update(raw).digest('base64'));
  }
  const sig = headers['x-hook-signature'] || '';
  return sig.startsWith('sha1=') && safeEqual(sig.slice(5), crypto.createHmac('sha1', secret).update(raw).digest('base64'));
}

// → {entity, id, action, version} or throws with a message for a 400/422.
function decode(psa, raw) {
  const body = JSON.parse(raw.toString('utf8'));
  if (psa === 'connectwise') {
    const action = body.Action;
    let version = 'deleted';
    if (action !== 'deleted') {
      const record = JSON.parse(body.Entity);
      version = new Date(record._info.lastUpdated).toISOString().replace('.000Z', 'Z');
    }
    return { entity: String(body.Type).toLowerCase(), id: String(body.ID), action, version };
  }
  const actions = { Create: 'created', Update: 'updated', Delete: 'deleted' };
  const action = actions[body.Action];
  if (!action) throw new Error('unsupported action');
  const last = body.Fields && body.Fields.lastActivityDate;
  const version = action === 'deleted' ? 'deleted' : last ? new Date(last).toISOString() : 'body:' + crypto.createHash('sha256').update(raw).digest('hex');
  return { entity: body.EntityType === 'Ticket' ? 'ticket' : 'company', id: String(body.Id), action, version };
}

function idempotencyKey(tenant, psa, change) {
  const h = crypto.createHash('sha256');
  for (const part of [tenant, psa, change.entity, change.id, change.version]) h.update(`${Buffer.byteLength(part)}:${part}`);
  return h.digest('hex');
}

function reply(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

async function startWorker() {
  const kafka = new Kafka({ clientId: 'peer', brokers: process.env.BOOTSTRAP.split(','), logLevel: logLevel.ERROR });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();

  // Messages waiting for the next produce request, each with the callback that answers it.
  let pending = [];
  let scheduled = false;
  function flush() {
    scheduled = false;
    const batch = pending;
    pending = [];
    if (batch.length === 0) return;
    producer
      .send({ topic: TOPIC, acks: -1, messages: batch.map((p) => p.message) })
      .then(() => batch.forEach((p) => p.done(null)), (err) => batch.forEach((p) => p.done(err)));
  }
  function enqueue(message, done) {
    pending.push({ message, done });
    if (pending.length >= MAX_BATCH) flush();
    else if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  }

  const server = http.createServer((req, res) => {
    const match = /^\/v1\/webhooks\/([a-z]+)\/([a-z0-9_-]+)$/.exec(req.url);
    if (req.method !== 'POST' || !match) return reply(res, 404, { error: 'not_found' });
    const [, psa, tenant] = match;
    const secret = TENANTS[psa] && TENANTS[psa][tenant];
    if (!secret) return reply(res, 404, { error: 'unknown_tenant' });
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reply(res, 413, { error: 'too_large' });
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_BODY) return;
      const raw = Buffer.concat(chunks);
      if (!verify(psa, secret, req.headers, raw)) return reply(res, 401, { error: 'bad_signature' });
      let change;
      try {
        change = decode(psa, raw);
      } catch (err) {
        return reply(res, 400, { error: 'invalid_payload', message: err.message });
      }
      const key = idempotencyKey(tenant, psa, change);
      const envelope = JSON.stringify({
        envelope_version: 1, tenant, psa, entity: change.entity, entity_id: change.id, action: change.action,
        source: 'webhook', received_at: new Date().toISOString(), idempotency_key: key, body: raw.toString('utf8'),
      });
      enqueue({ key: `${tenant}/${change.entity}/${change.id}`, value: envelope }, (err) => {
        if (err) {
          res.setHeader('Retry-After', '5');
          return reply(res, 503, { error: 'kafka_unavailable' });
        }
        reply(res, 202, { status: 'accepted', idempotency_keys: [key] });
      });
    });
  });
  server.keepAliveTimeout = 30000;
  server.listen(PORT, '127.0.0.1');
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      server.close();
      producer.disconnect().finally(() => process.exit(0));
    });
  }
}
