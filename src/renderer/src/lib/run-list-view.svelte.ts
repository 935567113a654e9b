// How the user last sorted and filtered the runs list: kept while they visit other screens.
import { DEFAULT_VIEW, type RunListView } from './run-list'

export const runListView = $state<RunListView>({ ...DEFAULT_VIEW })
