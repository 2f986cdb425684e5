/**
 * Container images for the tests. The defaults are the official images a
 * normal user pulls; a machine without a registry builds local ones with
 * tools/containers/build-local-images.sh and names them here.
 */
export const POSTGRES_IMAGE = process.env['POSTGRES_IMAGE'] || 'postgres:17-alpine';
/** The gateway's nginx (deploy/gateway/nginx.conf runs in the official image and in Debian's package). */
export const NGINX_IMAGE = process.env['NGINX_IMAGE'] || 'nginx:1.28-alpine';
