// Hash routes: the screen follows location.hash, so reloads and the back button keep the user's place.

export type Route =
  | { screen: 'runs' }
  | { screen: 'new' }
  | { screen: 'run'; runId: number }
  | { screen: 'explore'; runId: number }

function parse(hash: string): Route {
  const path = hash.replace(/^#\/?/, '')
  const run = /^runs\/(\d+)$/.exec(path)
  if (run) return { screen: 'run', runId: Number(run[1]) }
  const explore = /^runs\/(\d+)\/explore$/.exec(path)
  if (explore) return { screen: 'explore', runId: Number(explore[1]) }
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
    location.hash = route.screen === 'run' ? `#/runs/${route.runId}` : route.screen === 'explore' ? `#/runs/${route.runId}/explore` : `#/${route.screen}`
  }
}

export const router = new Router()
