// The original's script example, in TypeScript: create a container from an
// image with a port and a restart policy, build it, print its ID, status and
// health, list images, and pull an image. The same steps run as a `script`
// input and through `nerdctl-action script` (see the README).
import { Container, NerdctlError, imagePull, images } from '../src/nerdctl/index.js'

export async function main(
  image = '127.0.0.1:5000/busybox:stable',
  hostPort = 6379
): Promise<string[]> {
  const lines: string[] = []
  const print = (line: string): void => {
    lines.push(line)
    console.log(line)
  }
  const c = Container.fromImage('my_service', image)
    .withPort(`127.0.0.1:${hostPort}:6379`)
    .withRestartPolicy('unless-stopped')
    .withCommand(['sleep', '600'])

  try {
    const running = await c.build()
    print(`Container ${running.name} ID: ${running.containerId}`)
    const status = await running.status()
    print(`Status: ${status.state}, Health: ${status.healthStatus}`)
    await running.remove()
  } catch (e: unknown) {
    print(`Error building container: ${e instanceof NerdctlError ? e.message : String(e)}`)
  }

  const list = await images()
  print(`${list.length} images: ${list.map(i => i.name).join(', ')}`)

  await imagePull(image)
  print(`pulled ${image}`)
  return lines
}
