// A local stand-in for Bsale, the SII-authorised provider the appliance issues boletas
// through, following its documented REST API as crates/appliance/src/fiscal/bsale.rs cites
// it (https://docs.bsale.dev/CL/documentos/, https://docs.bsale.dev/CL/devoluciones), and
// answering as the Rust fake of crates/appliance/tests/fiscal.rs does:
//   POST /v1/documents.json              → 201 the document (number = folio, ted, urlTimbre,
//                                           urlPublicView, urlPdf, informedSii…)
//   GET  /v1/documents.json?codesii=&totalamount=&referencecode=&referencenumber=
//                                         → { href, count, limit, offset, items }
//   GET  /v1/documents/{id}.json         → the document
//   GET  /v1/documents/{id}/details.json → its one detail line
//   POST /v1/returns.json                → 201 the return, naming its credit_note
// Every request must carry the `access_token` header; errors answer `{ error }` in Spanish.
import { createServer } from "node:http";

export const BSALE_TOKEN = "bsale-e2e-token-0123456789";

/** Starts the fake; resolves `{ base, documents, posts, close }`. */
export function startFakeBsale() {
  const documents = [];
  const posts = [];
  const folios = new Map();
  const json = (res, status, body) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  const readBody = (req) =>
    new Promise((ok) => {
      let data = "";
      req.on("data", (c) => (data += c));
      req.on("end", () => ok(data));
    });
  // A document the way Bsale answers it (IVA 19 % on the net, rounded half up).
  const make = (code, net, references, client) => {
    const id = 1000 + documents.length;
    const folio = (folios.get(code) ?? 0) + 1;
    folios.set(code, folio);
    const total = Math.floor((net * 119 + 50) / 100);
    const token = `tok${id}`;
    const document = {
      href: `https://api.bsale.cl/v1/documents/${id}.json`,
      id,
      emissionDate: Math.floor(Date.now() / 86400000) * 86400,
      number: folio,
      totalAmount: total,
      netAmount: net,
      taxAmount: total - net,
      urlTimbre: `http://app2.bsale.cl/timbre/${token}.png`,
      ted: `<TED version="1.0"><DD><TD>${code}</TD><F>${folio}</F><MNT>${total}</MNT></DD></TED>`,
      urlPublicView: `http://app2.bsale.cl/view/2/${token}?sfd=99`,
      urlPdf: `http://app2.bsale.cl/view/2/${token}.pdf?sfd=99`,
      token,
      state: 0,
      informedSii: 1,
      responseMsgSii: null,
      document_type: { href: "https://api.bsale.cl/v1/document_types/1.json", id: "1" },
      codeSii: code,
      references: references ?? [],
      client: client ?? null,
      detailId: 5000 + id,
    };
    documents.push(document);
    return document;
  };
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://fake");
    if (req.headers["access_token"] !== BSALE_TOKEN) return json(res, 401, { error: "access_token inválido" });
    let body = null;
    if (req.method === "POST") {
      try {
        body = JSON.parse(await readBody(req));
      } catch {
        return json(res, 400, { error: "json inválido" });
      }
    }
    if (req.method === "POST" && url.pathname === "/v1/documents.json") {
      posts.push(body);
      const code = Number(body.codeSii);
      if (code !== 39 && code !== 33) return json(res, 400, { error: "tipo de documento no existe" });
      const detail = body.details?.[0] ?? {};
      const net = Number(detail.netUnitValue ?? 0) * Number(detail.quantity ?? 0);
      if (!(net > 0)) return json(res, 400, { error: "el documento no tiene detalle" });
      if (code === 33 && typeof body.client?.code !== "string") return json(res, 400, { error: "la factura requiere el RUT del cliente" });
      return json(res, 201, make(code, net, body.references, body.client));
    }
    if (req.method === "GET" && url.pathname === "/v1/documents.json") {
      const q = url.searchParams;
      const items = documents.filter((d) => {
        if (q.has("codesii") && Number(q.get("codesii")) !== d.codeSii) return false;
        if (q.has("totalamount") && Number(q.get("totalamount")) !== d.totalAmount) return false;
        if (q.has("referencecode") || q.has("referencenumber")) {
          return d.references.some((r) => (!q.has("referencecode") || Number(q.get("referencecode")) === Number(r.codeSii)) && (!q.has("referencenumber") || q.get("referencenumber") === String(r.number)));
        }
        return true;
      });
      return json(res, 200, { href: "https://api.bsale.cl/v1/documents.json", count: items.length, limit: 25, offset: 0, items });
    }
    const one = /^\/v1\/documents\/(\d+)(\.json|\/details\.json)$/.exec(url.pathname);
    if (req.method === "GET" && one) {
      const document = documents.find((d) => d.id === Number(one[1]));
      if (!document) return json(res, 404, { error: "documento no encontrado" });
      if (one[2] === ".json") return json(res, 200, document);
      return json(res, 200, { count: 1, limit: 25, offset: 0, items: [{ id: document.detailId, lineNumber: 0, quantity: 1, netUnitValue: document.netAmount, totalAmount: document.totalAmount }] });
    }
    if (req.method === "POST" && url.pathname === "/v1/returns.json") {
      posts.push(body);
      const original = documents.find((d) => d.id === Number(body.referenceDocumentId));
      if (!original) return json(res, 400, { error: "documento de referencia no existe" });
      const detail = body.details?.[0] ?? {};
      if (detail.documentDetailId !== original.detailId) return json(res, 400, { error: "detalle no pertenece al documento" });
      const net = Number(detail.unitValue ?? 0) * Number(detail.quantity ?? 0);
      const note = make(61, net, [{ number: String(original.number), codeSii: original.codeSii }], null);
      return json(res, 201, {
        href: "https://api.bsale.cl/v1/returns/1.json", id: 1, code: "137615600351", returnDate: Math.floor(Date.now() / 1000),
        motive: body.motive, type: 1, priceAdjustment: body.priceAdjustment, editTexts: 0, amount: note.totalAmount,
        reference_document: { href: "", id: String(original.id) }, credit_note: { href: "", id: String(note.id) },
      });
    }
    json(res, 404, { error: "recurso no encontrado" });
  });
  return new Promise((ok) =>
    server.listen(0, "127.0.0.1", () =>
      ok({ base: `http://127.0.0.1:${server.address().port}`, documents, posts, close: () => server.close() }),
    ),
  );
}
