// Hash routes: the screen follows location.hash, so reloads and the back button keep the user's place.

export type Route =
  | { screen: 'runs' }
  | { screen: 'new' }
  | { screen: 'run'; runId: number }
  | { screen: 'explore'; runId: number }
  | { screen: 'compare'; runIds: number[] }

function parse(hash: string): Route {
  const path = hash.replace(/^#\/?/, '')
  const run = /^runs\/(\d+)$/.exec(path)
  if (run) return { screen: 'run', runId: Number(run[1]) }
  const explore = /^runs\/(\d+)\/explore$/.exec(path)
  if (explore) return { screen: 'explore', runId: Number(explore[1]) }
  const compare = /^compare\/([\d,]+)$/.exec(path)
  if (compare) return { screen: 'compare', runIds: compare[1].split(',').filter(Boolean).map(Number) }
  if (path === 'new') return { screen: 'new' }
  return { screen: 'runs' }
}

class Router {
  route = $state<Route>(parse(location.hash))

  constructor() {
    window.addEventListener('hashchange', () => {
      this.route = parse(location.hash)
    })
  }

  go(route: Route): void {
    location.hash = hashOf(route)
  }
}

export const router = new Router()

function hashOf(route: Route): string {
  switch (route.screen) {
    case 'run':
      return `#/runs/${route.runId}`
    case 'explore':
      return `#/runs/${route.runId}/explore`
    case 'compare':
      return `#/compare/${route.runIds.join(',')}`
    default:
      return `#/${route.screen}`
  }
}
