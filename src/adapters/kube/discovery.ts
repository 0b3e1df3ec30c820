// What the API server serves: its groups, their versions (the preferred one first) and each
// version's resources. Asked, as kubectl asks it, as one aggregated document per root (/api,
// /apis; Kubernetes 1.30, v2beta1 since 1.26): two requests however many groups a run touches,
// where each group version used to cost one. A server that answers the old documents is asked
// per group version, as before.
import {groupVersionPath} from './api-path.js';

export interface APIResource {
  name: string;
  kind: string;
  namespaced: boolean;
  verbs?: string[];
}

export interface ServedGroup {
  name: string;
  /** The preferred version first. */
  versions: string[];
}

/** GETs a discovery path as JSON with the given Accept; undefined when the server answers 404. */
export type DiscoveryFetch = (path: string, accept: string) => Promise<unknown>;

const AGGREGATED = ['v2', 'v2beta1'].map((version) =>
  `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`
).concat('application/json').join(',');
const PLAIN = 'application/json';

interface AggregatedResource {
  resource?: string;
  responseKind?: {kind?: string};
  scope?: string;
  verbs?: string[];
}

interface AggregatedGroup {
  metadata?: {name?: string};
  versions?: {version?: string; resources?: AggregatedResource[]}[];
}

interface Snapshot {
  groups: ServedGroup[];
  /** Resources by `group/version`; undefined when the server answered the old documents (asked per group version). */
  resources: Map<string, APIResource[]> | undefined;
}

const keyOf = (group: string, version: string) => `${group}/${version}`;

function isAggregated(document: unknown): document is {items?: AggregatedGroup[]} {
  return (document as {kind?: unknown} | undefined)?.kind === 'APIGroupDiscoveryList';
}

function readAggregated(documents: {items?: AggregatedGroup[]}[]): Snapshot {
  const groups: ServedGroup[] = [];
  const resources = new Map<string, APIResource[]>();
  for (const item of documents.flatMap((document) => document.items ?? [])) {
    const name = item.metadata?.name ?? '';
    const versions = (item.versions ?? []).filter((entry) => entry.version);
    groups.push({name, versions: versions.map((entry) => entry.version!)});
    for (const entry of versions) {
      resources.set(keyOf(name, entry.version!),
        (entry.resources ?? []).flatMap((resource) =>
          resource.resource && resource.responseKind?.kind
            ? [{name: resource.resource, kind: resource.responseKind.kind, namespaced: resource.scope === 'Namespaced',
              verbs: resource.verbs ?? []}]
            : []
        ));
    }
  }
  return {groups, resources};
}

interface LegacyGroup {
  name: string;
  preferredVersion?: {version: string};
  versions?: {version: string}[];
}

function readLegacy(core: {versions?: string[]} | undefined, named: {groups?: LegacyGroup[]} | undefined): Snapshot {
  const groups = (named?.groups ?? []).map((group) => {
    const preferred = group.preferredVersion?.version;
    const others = (group.versions ?? []).map(({version}) => version).filter((version) => version !== preferred);
    return {name: group.name, versions: [...(preferred ? [preferred] : []), ...others]};
  });
  return {groups: [{name: '', versions: core?.versions ?? ['v1']}, ...groups], resources: undefined};
}

export class Discovery {
  private snapshot: Promise<Snapshot> | undefined;
  private refreshing: Promise<Snapshot> | undefined;
  /** Old servers: resources per group version, asked one by one; a version not served is asked again. */
  private readonly perVersion = new Map<string, Promise<APIResource[] | undefined>>();

  constructor(private readonly fetch: DiscoveryFetch) {}

  /** Every served group (the core group as ""), each with its versions, the preferred one first. */
  async groups(): Promise<ServedGroup[]> {
    return (await this.current()).groups;
  }

  /**
   * The resources of one group version, or undefined when the server does not serve it. A
   * version missing from what the server said is asked again: its CRD may have come since (an
   * install creates CRDs, then objects of their kinds).
   */
  async resources(group: string, version: string): Promise<APIResource[] | undefined> {
    const known = (await this.current()).resources;
    if (!known) return this.askVersion(group, version);
    return known.get(keyOf(group, version)) ?? (await this.refresh()).resources?.get(keyOf(group, version));
  }

  private current(): Promise<Snapshot> {
    this.snapshot ??= this.load().catch((error: unknown) => {
      this.snapshot = undefined;
      throw error;
    });
    return this.snapshot;
  }

  private refresh(): Promise<Snapshot> {
    this.refreshing ??= this.load().then((snapshot) => {
      this.snapshot = Promise.resolve(snapshot);
      return snapshot;
    }).finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async load(): Promise<Snapshot> {
    const [core, named] = await Promise.all([this.fetch('/api', AGGREGATED), this.fetch('/apis', AGGREGATED)]);
    if (isAggregated(core) && isAggregated(named)) return readAggregated([core, named]);
    return readLegacy(isAggregated(core) ? undefined : core as {versions?: string[]},
      isAggregated(named) ? undefined : named as {groups?: LegacyGroup[]});
  }

  private askVersion(group: string, version: string): Promise<APIResource[] | undefined> {
    const key = keyOf(group, version);
    let resources = this.perVersion.get(key);
    if (!resources) {
      resources = this.fetch(groupVersionPath({group, version}), PLAIN).then((list) => {
        if (list === undefined) this.perVersion.delete(key);
        return list === undefined ? undefined : (list as {resources?: APIResource[]}).resources ?? [];
      }, (error: unknown) => {
        this.perVersion.delete(key);
        throw error;
      });
      this.perVersion.set(key, resources);
    }
    return resources;
  }
}
