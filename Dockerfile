# syntax=docker/dockerfile:1
# Build with the dev dependencies (npm ci runs the prepare script: the TypeScript build), then run on a
# distroless Node 24 LTS image with the production dependencies only, as a non-root user.
ARG NODE_VERSION=24

FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY webhooks ./webhooks
RUN npm ci --no-audit --no-fund

FROM node:${NODE_VERSION}-bookworm-slim AS production-dependencies
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: prepare would try to build without the compiler; the build stage did that already.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

FROM gcr.io/distroless/nodejs${NODE_VERSION}-debian12:nonroot
WORKDIR /app
ENV NODE_ENV=production
COPY --from=production-dependencies /app/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY package.json ./
USER 65532:65532
EXPOSE 9443 8080
# The distroless image's entrypoint is node itself.
ENTRYPOINT ["/nodejs/bin/node", "dist/src/cli/main.js"]
CMD ["serve"]
