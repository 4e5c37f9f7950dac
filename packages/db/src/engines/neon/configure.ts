import { neonConfig } from '@neondatabase/serverless';
import ws from 'ws';

/**
 * Neon over WebSockets (never neon-http: it has no transactions). With
 * NEON_WS_PROXY=host:port/path the driver talks plain ws:// to a local proxy
 * in front of an ordinary PostgreSQL, which is how the tests reach it.
 */
export function configureNeon(env: { NEON_WS_PROXY?: string | undefined } = process.env): void {
  neonConfig.webSocketConstructor = ws;
  const proxy = env.NEON_WS_PROXY?.trim();
  if (proxy) {
    neonConfig.wsProxy = (host, port) => `${proxy}?address=${host}:${port}`;
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineTLS = false;
    neonConfig.pipelineConnect = false;
  }
}
