// The original's Rhai script example as a nerdctl-action script: the body of an
// async function with `nerdctl`, `core` and `inputs` in scope. Run it with
//   npx nerdctl-action script examples/scripts/original.js
// or as the action's `script-file` input. `inputs.image` and `inputs.port`
// override the image and host port (defaults: the local base image, 6379).
const image = inputs.image ?? '127.0.0.1:5000/busybox:stable'
const port = inputs.port ?? '6379'

// Create and configure a container using the builder pattern
const c = nerdctl.Container.fromImage('my_redis', image)
  .withPort(`127.0.0.1:${port}:6379`)
  .withRestartPolicy('unless-stopped')
  .withCommand(['sleep', '600'])

// Build and run the container; a failure is an error value, as in the original
let running
try {
  running = await c.build()
  core.info(`Container ${running.name} ID: ${running.containerId}`)
} catch (e) {
  core.info(`Error building container: ${e.message}`)
}

let status
const id = running?.containerId
if (running) {
  // Get status
  status = await running.status()
  core.info(`Status: ${status.state}, Health: ${status.healthStatus}`)
  await running.remove()
}

// Direct command examples
const images = await nerdctl.images()
core.info(`${images.length} images, e.g. ${images[0]?.name}`)

await nerdctl.imagePull(image)

return { id, state: status?.state, health: status?.healthStatus, images: images.length }
