'use strict';
// Covenant's homomorphic-encryption sidecar: Microsoft SEAL 4.1.2 (the npm package node-seal 6.0.3, SEAL compiled to
// WebAssembly) behind a framed binary protocol on stdin/stdout. The Java side (io.covenant.mpc.he.SealSidecar) starts
// one such process per node, sends one request at a time and waits for its answer.
//
// Frame (both directions): 4-byte big-endian length L, then L bytes. Request body: 1-byte operation code, then the
// operation's arguments. Answer body: 1-byte status (0 = done, 1 = refused), then the results, or a UTF-8 message.
// Integers are big-endian; byte strings and vectors are prefixed with a 4-byte count. Parameters, keys and ciphertexts
// cross the channel only as SEAL's own serialisation (saveArray, uncompressed), so they are SEAL-compatible bytes.
//
// Objects (contexts, keys, ciphertexts) stay in this process and are named by 32-bit handles. A secret key never
// leaves it: there is no operation that saves one.

const MAX_FRAME = Number(process.env.COVENANT_HE_MAX_FRAME || 256 * 1024 * 1024);

const OP = {
  PING: 1, PARAMS_BUILD: 2, PARAMS_INSPECT: 3, CONTEXT: 4, KEYGEN: 5, RELIN_KEYS: 6, GALOIS_KEYS: 7, SAVE: 8,
  LOAD: 9, ENCRYPT: 10, DECRYPT: 11, ADD: 12, SUB: 13, MULTIPLY: 14, RELINEARIZE: 15, RESCALE: 16, MUL_PLAIN: 17,
  ADD_PLAIN: 18, ROTATE: 19, MOD_SWITCH_TO: 20, SET_SCALE: 21, INFO: 22, RELEASE: 23, SUM_SLOTS: 24, HOLDINGS: 25,
};
const KIND = { PUBLIC_KEY: 1, RELIN_KEYS: 2, GALOIS_KEYS: 3, CIPHERTEXT: 4, SECRET_KEY: 5, CONTEXT: 6 };
const SCHEME = { BFV: 1, CKKS: 2 };

class Refusal extends Error {}

class Reader {
  constructor(buf) { this.buf = buf; this.pos = 0; }
  need(n) { if (this.pos + n > this.buf.length) throw new Refusal('request ends early (wanted ' + n + ' more bytes at ' + this.pos + ')'); }
  u8() { this.need(1); return this.buf[this.pos++]; }
  u32() { this.need(4); const v = this.buf.readUInt32BE(this.pos); this.pos += 4; return v; }
  i32() { this.need(4); const v = this.buf.readInt32BE(this.pos); this.pos += 4; return v; }
  f64() { this.need(8); const v = this.buf.readDoubleBE(this.pos); this.pos += 8; return v; }
  bytes() { const n = this.u32(); this.need(n); const v = this.buf.subarray(this.pos, this.pos + n); this.pos += n; return new Uint8Array(v); }
  f64s() { const n = this.u32(); this.need(8 * n); const v = new Float64Array(n); for (let i = 0; i < n; i++) v[i] = this.buf.readDoubleBE(this.pos + 8 * i); this.pos += 8 * n; return v; }
  i64s() { const n = this.u32(); this.need(8 * n); const v = new BigInt64Array(n); for (let i = 0; i < n; i++) v[i] = this.buf.readBigInt64BE(this.pos + 8 * i); this.pos += 8 * n; return v; }
  i32s() { const n = this.u32(); this.need(4 * n); const v = new Int32Array(n); for (let i = 0; i < n; i++) v[i] = this.buf.readInt32BE(this.pos + 4 * i); this.pos += 4 * n; return v; }
  end() { if (this.pos !== this.buf.length) throw new Refusal('request has ' + (this.buf.length - this.pos) + ' unexpected trailing bytes'); }
}

class Writer {
  constructor() { this.parts = []; }
  u8(v) { const b = Buffer.alloc(1); b[0] = v; this.parts.push(b); return this; }
  u32(v) { const b = Buffer.alloc(4); b.writeUInt32BE(v); this.parts.push(b); return this; }
  f64(v) { const b = Buffer.alloc(8); b.writeDoubleBE(v); this.parts.push(b); return this; }
  bytes(v) { this.u32(v.length); this.parts.push(Buffer.from(v.buffer, v.byteOffset, v.length)); return this; }
  utf8(s) { return this.bytes(Buffer.from(s, 'utf8')); }
  f64s(v) { const b = Buffer.alloc(4 + 8 * v.length); b.writeUInt32BE(v.length); for (let i = 0; i < v.length; i++) b.writeDoubleBE(v[i], 4 + 8 * i); this.parts.push(b); return this; }
  i64s(v) { const b = Buffer.alloc(4 + 8 * v.length); b.writeUInt32BE(v.length); for (let i = 0; i < v.length; i++) b.writeBigInt64BE(BigInt(v[i]), 4 + 8 * i); this.parts.push(b); return this; }
  done() { return Buffer.concat(this.parts); }
}

function main(seal) {
  const objects = new Map(); // handle -> { kind, value, ctx }
  let nextHandle = 1;
  const put = (kind, value, ctx) => { const h = nextHandle++; objects.set(h, { kind, value, ctx }); return h; };
  const get = (h, kind) => {
    const o = objects.get(h);
    if (!o) throw new Refusal('no object with handle ' + h + ' in this sidecar (released, or made by a sidecar that was restarted)');
    if (kind !== undefined && o.kind !== kind) throw new Refusal('handle ' + h + ' is a ' + kindName(o.kind) + ', not a ' + kindName(kind));
    return o;
  };
  const kindName = (k) => Object.keys(KIND).find((n) => KIND[n] === k) || 'object of kind ' + k;
  const none = seal.ComprModeType.none;

  // Per context: its encoders, evaluator, and helpers built once.
  const makeContext = (parms) => {
    const context = seal.Context(parms, true, seal.SecurityLevel.tc128);
    if (!context.parametersSet()) {
      throw new Refusal('SEAL refuses these parameters at the 128-bit security level (HomomorphicEncryption.org standard): ' + context.toHuman().replace(/\s+/g, ' '));
    }
    const scheme = parms.scheme === seal.SchemeType.ckks ? SCHEME.CKKS : SCHEME.BFV;
    const encoder = scheme === SCHEME.CKKS ? seal.CKKSEncoder(context) : seal.BatchEncoder(context);
    return { context, parms, scheme, encoder, evaluator: seal.Evaluator(context) };
  };
  const ctxOf = (h) => get(h, KIND.CONTEXT).value;
  const cipherIn = (c, h) => { const o = get(h, KIND.CIPHERTEXT); if (o.ctx !== c) throw new Refusal('ciphertext ' + h + ' belongs to another context'); return o.value; };
  const chainIndex = (c, ct) => c.context.getContextData(ct.parmsId).chainIndex;

  // Encodes a plaintext at the level (and, for CKKS additions, the scale) of a ciphertext.
  const encodeAt = (c, ct, r, scale) => {
    let plain;
    if (c.scheme === SCHEME.CKKS) {
      const v = r.f64s();
      if (v.length > c.encoder.slotCount) throw new Refusal(v.length + ' values do not fit the ' + c.encoder.slotCount + ' slots');
      plain = c.encoder.encode(v, scale === undefined ? r.f64() : scale);
      c.evaluator.plainModSwitchTo(plain, ct.parmsId, plain);
    } else {
      const v = r.i64s();
      if (v.length > c.encoder.slotCount) throw new Refusal(v.length + ' values do not fit the ' + c.encoder.slotCount + ' slots');
      plain = c.encoder.encode(v);
    }
    return plain;
  };

  const paramsOf = (r) => {
    const parms = seal.EncryptionParameters();
    try { parms.loadArray(r.bytes()); } catch (e) { throw new Refusal('the bytes are not SEAL encryption parameters: ' + message(e)); }
    return parms;
  };

  const handlers = {
    [OP.PING]: (r, w) => { r.end(); w.utf8('Microsoft SEAL 4.1.2 (node-seal ' + seal.Version + ', WebAssembly) on Node.js ' + process.version); },
    [OP.PARAMS_BUILD]: (r, w) => {
      const scheme = r.u8(); const n = r.u32(); const bits = r.i32s(); const plainBits = r.u8(); r.end();
      const parms = seal.EncryptionParameters(scheme === SCHEME.CKKS ? seal.SchemeType.ckks : seal.SchemeType.bfv);
      parms.setPolyModulusDegree(n);
      parms.setCoeffModulus(seal.CoeffModulus.Create(n, bits));
      if (scheme === SCHEME.BFV) parms.setPlainModulus(seal.PlainModulus.Batching(n, plainBits));
      w.bytes(parms.saveArray(none));
    },
    [OP.PARAMS_INSPECT]: (r, w) => {
      const parms = paramsOf(r); r.end();
      const moduli = parms.coeffModulus;
      w.u8(parms.scheme === seal.SchemeType.ckks ? SCHEME.CKKS : SCHEME.BFV).u32(parms.polyModulusDegree).u32(moduli.length);
      for (const q of moduli) w.u32(q.toString(2).length);
      w.f64(parms.scheme === seal.SchemeType.ckks ? 0 : Number(parms.plainModulus.value));
    },
    [OP.CONTEXT]: (r, w) => {
      const parms = paramsOf(r); r.end();
      const c = makeContext(parms);
      w.u32(put(KIND.CONTEXT, c)).u32(c.encoder.slotCount);
    },
    [OP.KEYGEN]: (r, w) => {
      const c = ctxOf(r.u32()); r.end();
      const kg = seal.KeyGenerator(c.context);
      const sk = kg.secretKey(); const pk = kg.createPublicKey();
      w.u32(put(KIND.SECRET_KEY, { sk, decryptor: seal.Decryptor(c.context, sk), keygen: kg }, c)).u32(put(KIND.PUBLIC_KEY, pk, c));
    },
    [OP.RELIN_KEYS]: (r, w) => { const c = ctxOf(r.u32()); const sk = get(r.u32(), KIND.SECRET_KEY).value; r.end(); w.u32(put(KIND.RELIN_KEYS, sk.keygen.createRelinKeys(), c)); },
    [OP.GALOIS_KEYS]: (r, w) => { const c = ctxOf(r.u32()); const sk = get(r.u32(), KIND.SECRET_KEY).value; const steps = r.i32s(); r.end(); w.u32(put(KIND.GALOIS_KEYS, sk.keygen.createGaloisKeys(steps), c)); },
    [OP.SAVE]: (r, w) => {
      const o = get(r.u32()); r.end();
      if (o.kind === KIND.SECRET_KEY) throw new Refusal('a secret key never leaves the sidecar');
      if (o.kind === KIND.CONTEXT) { w.bytes(o.value.parms.saveArray(none)); return; }
      w.bytes(o.value.saveArray(none));
    },
    [OP.LOAD]: (r, w) => {
      const c = ctxOf(r.u32()); const kind = r.u8(); const bytes = r.bytes(); r.end();
      const make = { [KIND.PUBLIC_KEY]: seal.PublicKey, [KIND.RELIN_KEYS]: seal.RelinKeys, [KIND.GALOIS_KEYS]: seal.GaloisKeys, [KIND.CIPHERTEXT]: seal.CipherText }[kind];
      if (!make) throw new Refusal('cannot load an object of kind ' + kindName(kind));
      const v = make();
      try { v.loadArray(c.context, bytes); } catch (e) { v.delete(); throw new Refusal('SEAL refused the ' + kindName(kind) + ' bytes for this context: ' + message(e)); }
      w.u32(put(kind, v, c));
    },
    [OP.ENCRYPT]: (r, w) => {
      const c = ctxOf(r.u32()); const pk = get(r.u32(), KIND.PUBLIC_KEY).value;
      const plain = c.scheme === SCHEME.CKKS ? (() => { const scale = r.f64(); const v = r.f64s(); checkSlots(c, v); return c.encoder.encode(v, scale); })()
        : (() => { const v = r.i64s(); checkSlots(c, v); return c.encoder.encode(v); })();
      r.end();
      const enc = seal.Encryptor(c.context, pk);
      const ct = enc.encrypt(plain); plain.delete(); enc.delete();
      w.u32(put(KIND.CIPHERTEXT, ct, c));
    },
    [OP.DECRYPT]: (r, w) => {
      const c = ctxOf(r.u32()); const sk = get(r.u32(), KIND.SECRET_KEY).value; const ct = cipherIn(c, r.u32()); r.end();
      const plain = sk.decryptor.decrypt(ct);
      if (c.scheme === SCHEME.CKKS) w.f64s(c.encoder.decode(plain)); else w.i64s(c.encoder.decodeBigInt(plain, true));
      plain.delete();
    },
    [OP.ADD]: (r, w) => binary(r, w, (c, a, b) => c.evaluator.add(a, b)),
    [OP.SUB]: (r, w) => binary(r, w, (c, a, b) => c.evaluator.sub(a, b)),
    [OP.MULTIPLY]: (r, w) => binary(r, w, (c, a, b) => c.evaluator.multiply(a, b)),
    [OP.RELINEARIZE]: (r, w) => { const c = ctxOf(r.u32()); const ct = cipherIn(c, r.u32()); const rk = get(r.u32(), KIND.RELIN_KEYS).value; r.end(); w.u32(put(KIND.CIPHERTEXT, c.evaluator.relinearize(ct, rk), c)); },
    [OP.RESCALE]: (r, w) => { const c = ctxOf(r.u32()); const ct = cipherIn(c, r.u32()); r.end(); w.u32(put(KIND.CIPHERTEXT, c.evaluator.rescaleToNext(ct), c)); },
    [OP.MUL_PLAIN]: (r, w) => {
      const c = ctxOf(r.u32()); const ct = cipherIn(c, r.u32()); const plain = encodeAt(c, ct, r); r.end();
      const out = c.evaluator.multiplyPlain(ct, plain); plain.delete();
      w.u32(put(KIND.CIPHERTEXT, out, c));
    },
    [OP.ADD_PLAIN]: (r, w) => {
      const c = ctxOf(r.u32()); const ct = cipherIn(c, r.u32()); const plain = encodeAt(c, ct, r, ct.scale); r.end();
      const out = c.evaluator.addPlain(ct, plain); plain.delete();
      w.u32(put(KIND.CIPHERTEXT, out, c));
    },
    [OP.ROTATE]: (r, w) => {
      const c = ctxOf(r.u32()); const ct = cipherIn(c, r.u32()); const steps = r.i32(); const gk = get(r.u32(), KIND.GALOIS_KEYS).value; r.end();
      const out = c.scheme === SCHEME.CKKS ? c.evaluator.rotateVector(ct, steps, gk) : c.evaluator.rotateRows(ct, steps, gk);
      w.u32(put(KIND.CIPHERTEXT, out, c));
    },
    [OP.SUM_SLOTS]: (r, w) => {
      const c = ctxOf(r.u32()); const ct = cipherIn(c, r.u32()); const gk = get(r.u32(), KIND.GALOIS_KEYS).value; r.end();
      w.u32(put(KIND.CIPHERTEXT, c.evaluator.sumElements(ct, gk, c.parms.scheme), c));
    },
    [OP.MOD_SWITCH_TO]: (r, w) => {
      const c = ctxOf(r.u32()); const ct = cipherIn(c, r.u32()); const ref = cipherIn(c, r.u32()); r.end();
      w.u32(put(KIND.CIPHERTEXT, c.evaluator.cipherModSwitchTo(ct, ref.parmsId), c));
    },
    [OP.SET_SCALE]: (r, w) => { const c = ctxOf(r.u32()); const ct = cipherIn(c, r.u32()); const scale = r.f64(); r.end(); ct.setScale(scale); w.u8(0); },
    [OP.INFO]: (r, w) => { const c = ctxOf(r.u32()); const ct = cipherIn(c, r.u32()); r.end(); w.u32(chainIndex(c, ct)).f64(ct.scale).u32(ct.size); },
    [OP.RELEASE]: (r, w) => {
      const handles = r.i32s(); r.end();
      for (const h of handles) {
        const o = objects.get(h);
        if (!o) continue;
        objects.delete(h);
        if (o.kind === KIND.SECRET_KEY) { o.value.decryptor.delete(); o.value.keygen.delete(); o.value.sk.delete(); }
        else if (o.kind === KIND.CONTEXT) { o.value.evaluator.delete(); o.value.encoder.delete(); o.value.context.delete(); o.value.parms.delete(); }
        else o.value.delete();
      }
      w.u32(objects.size);
    },
    [OP.HOLDINGS]: (r, w) => {
      r.end();
      const counts = [0, 0, 0, 0, 0, 0, 0];
      for (const o of objects.values()) counts[o.kind]++;
      for (let k = 1; k <= 6; k++) w.u32(counts[k]);
    },
  };

  const checkSlots = (c, v) => { if (v.length > c.encoder.slotCount) throw new Refusal(v.length + ' values do not fit the ' + c.encoder.slotCount + ' slots'); };
  const binary = (r, w, f) => { const c = ctxOf(r.u32()); const a = cipherIn(c, r.u32()); const b = cipherIn(c, r.u32()); r.end(); w.u32(put(KIND.CIPHERTEXT, f(c, a, b), c)); };

  // Frame reader over stdin. Chunks are kept in a list and joined only once a whole frame has arrived, so that a
  // frame of many megabytes is copied once, not once per 64 KiB chunk.
  let chunks = [];
  let buffered = 0;
  const out = process.stdout;
  const answer = (status, body) => {
    const head = Buffer.alloc(5); head.writeUInt32BE(body.length + 1); head[4] = status;
    out.write(Buffer.concat([head, body]));
  };
  const handle = (frame) => {
    const r = new Reader(frame);
    try {
      const op = r.u8();
      const h = handlers[op];
      if (!h) throw new Refusal('unknown operation code ' + op + ' (the Java side is a newer version than this sidecar)');
      const w = new Writer();
      h(r, w);
      answer(0, w.done());
    } catch (e) {
      answer(1, Buffer.from(e instanceof Refusal ? e.message : 'SEAL failed: ' + message(e), 'utf8'));
    }
  };
  const take = (n) => {
    const all = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, buffered);
    chunks = all.length > n ? [all.subarray(n)] : [];
    buffered = all.length - n;
    return all.subarray(0, n);
  };
  let need = -1; // body length of the frame being read, or -1 while its 4-byte length is awaited
  process.stdin.on('data', (chunk) => {
    chunks.push(chunk);
    buffered += chunk.length;
    for (;;) {
      if (need < 0) {
        if (buffered < 4) break;
        need = take(4).readUInt32BE(0);
        if (need > MAX_FRAME) {
          process.stderr.write('he-sidecar: refusing a request frame of ' + need + ' bytes (limit ' + MAX_FRAME + '); stopping\n');
          process.exit(3);
        }
      }
      if (buffered < need) break;
      const frame = Buffer.from(take(need));
      need = -1;
      handle(frame);
    }
  });
  process.stdin.on('end', () => process.exit(0));
  process.stderr.write('he-sidecar: ready (node-seal ' + seal.Version + ')\n');
}

function message(e) {
  if (e === undefined || e === null) return 'unknown error';
  if (typeof e === 'number') return 'WebAssembly exception ' + e;
  return e.message || String(e);
}

require('node-seal')().then(main, (e) => {
  process.stderr.write('he-sidecar: cannot load node-seal: ' + message(e) + '\n');
  process.exit(2);
});
