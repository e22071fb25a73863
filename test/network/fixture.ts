/**
 * What the connection tests share: gateway servers (test/support/gateway.mjs) and clients pointed at them, all
 * closed after each test.
 */
import { afterEach } from "vitest";
import { CccClient, type CccClientOptions } from "../../src/index.js";
import { startGateway, type Gateway, type GatewayConfig } from "../support/gateway.js";

/** The gateways do not check signatures; any well-formed pair will do. */
export const credentials = { secretId: "AKIDGATEWAYTEST000000000000000000000", secretKey: "gateway-secret" };

/** A non-idempotent call (CreateOwnNumberApply) whose SipTrunkId marks it, so a server's log shows duplicates. */
export const createApply = (c: CccClient, marker = 7) =>
  c.createOwnNumberApply({
    SdkAppId: 1400000000,
    SipTrunkId: marker,
    DetailList: [{ CallType: 1, PhoneNumber: "02012345678", MaxCallCount: 1, MaxCallPSec: 1 }],
  });

/**
 * Registers the cleanup and returns makers of gateways and of clients for them; `defaults` are the clients'
 * options unless a test says otherwise (rate limiting is always off: these tests count connections).
 */
export function gatewayFixture(defaults: CccClientOptions = {}) {
  const opened: { gateways: Gateway[]; clients: CccClient[] } = { gateways: [], clients: [] };
  afterEach(async () => {
    for (const c of opened.clients.splice(0)) await c.close();
    for (const g of opened.gateways.splice(0)) await g.close();
  });
  return {
    async gateway(config: GatewayConfig): Promise<Gateway> {
      const g = await startGateway(config);
      opened.gateways.push(g);
      return g;
    },
    client(target: Gateway | string, options: CccClientOptions = {}): CccClient {
      const endpoint = typeof target === "string" ? target : target.url;
      const c = new CccClient({ endpoint, credentials, rateLimit: false, ...defaults, ...options });
      opened.clients.push(c);
      return c;
    },
  };
}
