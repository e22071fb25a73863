import { CccClient } from "/work/main/dist/js/web/index.js";
export default {
  async fetch() {
    const client = new CccClient({ endpoint: "http://127.0.0.1:", credentials: { secretId: "AKIDX", secretKey: "k" }, fetch: (r) => fetch(r), maxRetries: 0, rateLimit: false });
    try {
      const r = await client.disableCCCPhoneNumber({ PhoneNumbers: ["008602112345678"], Disabled: 1 });
      return new Response(JSON.stringify({ ok: r.RequestId }));
    } catch (e) { return new Response(JSON.stringify({ error: String(e && e.stack || e) }), { status: 500 }); }
  },
};
