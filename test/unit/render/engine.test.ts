import {describe, expect, it} from 'vitest';
import yaml from 'js-yaml';
import {render, TemplateError, type Template} from '../../../src/core/render/engine.js';
import {toYamlStream} from '../../../src/ui/manifests.js';

const template = (text: string, file = 't.yaml'): Template => ({file, documents: yaml.loadAll(text)});

describe('template engine', () => {
  it('replaces whole scalars with values of any type and drops absent optional keys', () => {
    const [object] = render([template(`
apiVersion: v1
kind: ConfigMap
metadata: {name: "{{ name }}", labels: "{{ labels }}", annotations: "{{ missing.deep }}"}
data: {count: "{{ count }}"}
`)], {name: 'a', labels: {x: 'y'}, count: 3, missing: undefined});
    expect(object).toEqual({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'a', labels: {x: 'y'}},
      data: {count: 3}});
  });

  it('keeps a hostile value inside one scalar: no YAML injection through names', () => {
    const hostile = 'evil\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: x}';
    const objects = render([
      template('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: "n-{{ name }}"}\ndata: {v: "{{ name }}"}'),
    ], {name: hostile});
    expect(objects).toHaveLength(1);
    const reparsed = yaml.loadAll(toYamlStream(objects)).filter(Boolean);
    expect(reparsed).toHaveLength(1);
    expect((reparsed[0] as {data: {v: string}}).data.v).toBe(hostile);
  });

  it('honours $when on documents and maps, with negation', () => {
    const text = `
$when: on
apiVersion: v1
kind: ConfigMap
metadata: {name: a}
data: {x: {$when: "!on", y: "1"}, z: "2"}
`;
    expect(render([template(text)], {on: false})).toEqual([]);
    expect(render([template(text)], {on: true})[0]).toMatchObject({data: {z: '2'}});
    expect(render([template(text)], {on: true})[0]).not.toHaveProperty('data.x');
  });

  it('treats an empty list as false in $when', () => {
    expect(render([template('$when: items\napiVersion: v1\nkind: A\nmetadata: {name: a}')], {items: []})).toEqual([]);
  });

  it('repeats a document per item with $forEach', () => {
    const objects = render([template('$forEach: names\n$as: n\napiVersion: v1\nkind: A\nmetadata: {name: "{{ n }}"}')],
      {names: ['a', 'b']});
    expect(objects.map((o) => o.metadata.name)).toEqual(['a', 'b']);
  });

  it('drops absent list items', () => {
    const [object] = render([template('apiVersion: v1\nkind: A\nmetadata: {name: a}\nlist: ["{{ x }}", "{{ y }}"]')], {
      x: 1,
      y: undefined,
    });
    expect(object?.list).toEqual([1]);
  });

  it('fails loudly on an unknown value, naming the file and place', () => {
    expect(() =>
      render([template('apiVersion: v1\nkind: A\nmetadata: {name: "{{ nmae }}"}', 'istio/x.yaml')], {name: 'a'})
    )
      .toThrowError(/istio\/x\.yaml: metadata\.name: unknown value "nmae"/);
  });

  it('refuses to interpolate a map into a string', () => {
    expect(() => render([template('apiVersion: v1\nkind: A\nmetadata: {name: "x-{{ m }}"}')], {m: {a: 1}})).toThrow(
      TemplateError,
    );
  });

  it('refuses a document that is not a Kubernetes object', () => {
    expect(() => render([template('hello: world')], {})).toThrowError(/apiVersion, kind and metadata are required/);
  });

  it('never shares structure between objects', () => {
    const shared = {a: 1};
    const objects = render([
      template('$forEach: xs\n$as: x\napiVersion: v1\nkind: A\nmetadata: {name: "{{ x }}"}\nspec: "{{ shared }}"'),
    ], {xs: ['a', 'b'], shared});
    (objects[0]!.spec as {a: number}).a = 2;
    expect(objects[1]!.spec).toEqual({a: 1});
    expect(shared.a).toBe(1);
  });
});
