// The original's builder example, in TypeScript: configure a container with a
// port, an environment variable and a restart policy, build (run) it, read its
// status, then stop and remove it. It runs the local base image's httpd where
// the original ran nginx (no image can be pulled from outside here).
import { Container } from '../src/nerdctl/index.js'

export async function main(
  image = '127.0.0.1:5000/busybox:stable',
  hostPort = 8080
): Promise<string> {
  const container = Container.fromImage('my_web_container', image)
    .withPort(`127.0.0.1:${hostPort}:80`)
    .withEnvs({ MY_VAR: 'my_value' })
    .withDetach(true)
    .withRestartPolicy('always')
    .withCommand(['httpd', '-f', '-p', '80', '-h', '/var/www'])

  // Build (create and run) the container.
  const built = await container.build()
  console.log(`Container ${built.name} created with ID: ${built.containerId}`)

  const status = await built.status()
  console.log(`Status: ${status.status}, State: ${status.state}`)

  // httpd as PID 1 ignores SIGTERM; 2 s is grace enough before SIGKILL.
  await built.stop({ timeSeconds: 2 })
  await built.remove()
  console.log('Container stopped and removed.')
  return status.state
}
