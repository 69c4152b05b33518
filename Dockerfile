# syntax=docker/dockerfile:1
# The API serving the built SPA. docker-compose.yml runs two of these behind nginx with PostgreSQL
# and Redis; on its own: docker run -p 3000:3000 -e DATABASE_URL=… -e SESSION_SECRET=… parley

FROM node:20-slim AS pnpm
RUN npm install -g pnpm@10
WORKDIR /app

# Packages come from the lockfile and our patches to them, so this layer is reused until those change.
FROM pnpm AS deps
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
# The patches pnpm applies to dependencies (patchedDependencies in pnpm-workspace.yaml).
COPY patches ./patches
RUN pnpm fetch --frozen-lockfile

FROM deps AS build
COPY . .
RUN pnpm install --offline --frozen-lockfile && pnpm build
# Keep only what the API needs at run time: its production dependencies.
RUN rm -rf node_modules apps/*/node_modules packages/*/node_modules \
  && pnpm install --offline --frozen-lockfile --prod --filter '@parley/api...'

FROM node:20-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    WEB_DIST=/app/apps/web/dist \
    DATA_DIR=/home/node/data
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/apps/api/package.json ./apps/api/package.json
COPY --from=build /app/apps/api/node_modules ./apps/api/node_modules
COPY --from=build /app/apps/api/dist ./apps/api/dist
COPY --from=build /app/apps/web/dist ./apps/web/dist
USER node
WORKDIR /app/apps/api
EXPOSE 3000
CMD ["node", "--enable-source-maps", "dist/index.js"]
