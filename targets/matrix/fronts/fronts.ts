import { CADDY_FRONT } from './caddy.ts'
import type { FrontDefinition, FrontProduct } from './front-definition.ts'
import { HAPROXY_FRONT } from './haproxy.ts'
import { NGINX_FRONT } from './nginx.ts'

/** Every front the matrix runs, by product. */
export const FRONTS: Readonly<Record<FrontProduct, FrontDefinition>> = {
  nginx: NGINX_FRONT,
  haproxy: HAPROXY_FRONT,
  caddy: CADDY_FRONT,
}
