// What the end-to-end scripts share to run the real binaries: a free port, waiting, a JSON
// HTTP call, a child process with its log kept for the failure message.
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import * as zlibModule from "node:zlib";

/** A port nobody listens on now, for a server the test starts. */
export const freePort = () =>
  new Promise((ok, fail) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
    srv.on("error", fail);
  });

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it returns something truthy (returned), or throws after `timeoutMs`. */
export async function eventually(what, check, timeoutMs = 30000, everyMs = 100) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? ": " + last : ""}`);
    await sleep(everyMs);
  }
}

/** One JSON call; the body is parsed when it is JSON and kept as text otherwise. */
export async function http(method, url, { body, token, headers = {} } = {}) {
  const res = await fetch(url, {
    method,
    headers: { ...(body ? { "content-type": "application/json" } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, body: json, headers: res.headers };
}

/** Starts one of our binaries quietly; `log()` gives the tail of its standard error. */
export function startProcess(name, bin, args, env) {
  const child = spawn(bin, args, { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, RUST_LOG: "warn", DBUS_SESSION_BUS_ADDRESS: "unix:path=/nonexistent", ...env } });
  let log = "";
  child.stderr.on("data", (d) => (log = (log + d).slice(-20000)));
  return { name, child, log: () => log };
}

/** Waits for a started server's `/health`, failing with its log if it exits first. */
export async function waitHealthy(base, proc) {
  await eventually(`${proc.name} to answer /health`, async () => {
    if (proc.child.exitCode !== null) throw new Error(`${proc.name} exited:\n${proc.log()}`);
    return (await fetch(`${base}/health`)).ok;
  }, 60000);
}

/**
 * A photo to upload, made here (no image file in the repository): a `width`×`height` PNG,
 * a warm gradient so a resize is visible, encoded with zlib per the PNG specification
 * (https://www.w3.org/TR/png-3/: signature, IHDR, one IDAT, IEND, each chunk CRC-32'd).
 */
export function pngPhoto(width, height) {
  const { deflateSync, crc32 } = zlibModule;
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    raw[row] = 0; // filter: none
    for (let x = 0; x < width; x++) {
      raw[row + 1 + x * 3] = 200 + Math.round((55 * x) / width);
      raw[row + 2 + x * 3] = 80 + Math.round((120 * y) / height);
      raw[row + 3 + x * 3] = 40;
    }
  }
  const chunk = (type, data) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, "ascii");
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
    return Buffer.concat([head, data, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}
