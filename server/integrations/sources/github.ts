/**
 * GitHub webhooks (docs.github.com/en/webhooks/webhook-events-and-payloads): the event's name is in the
 * `X-GitHub-Event` header, the body is its payload. Pull requests, workflow runs, releases, the three
 * security alerts and ping have their own events; any other is summarised from its common fields.
 */
import type { HookDelivery, MappedEvent } from '../types.ts';
import { arr, dedupKey, event, isObj, link, obj, str } from './common.ts';
import { codeScanning, dependabot, login, type Spec, secretScanning } from './githubSecurity.ts';

const pullRequest: Spec = (body, repo) => {
  const pr = obj(body.pull_request);
  const n = str(pr.number) ?? str(body.number);
  const action = str(body.action) ?? 'updated';
  const merged = action === 'closed' && pr.merged === true;
  const verb = merged ? 'merged' : action.replace(/_/g, ' ');
  const reviewer = login(body.requested_reviewer) ?? str(obj(body.requested_team).name);
  return {
    name: `PR ${verb}: ${str(pr.title) ?? 'untitled'} (${repo}#${n ?? '?'})`,
    avatar: merged ? '🔀' : undefined,
    notify: action === 'review_requested',
    resolved: action === 'closed',
    dedupKey: n && dedupKey('github', 'pr', `${repo}#${n}`),
    rows: [
      ['Repository', repo],
      ['Author', login(pr.user)],
      ['Branch', str(obj(pr.head).ref) && `${str(obj(pr.head).ref)} → ${str(obj(pr.base).ref) ?? '?'}`],
      ['Reviewer requested', action === 'review_requested' ? reviewer : undefined],
      ['By', login(body.sender)],
      ['Description', str(pr.body)],
    ],
    actions: [link('Open pull request', pr.html_url)],
  };
};

const FAILED = new Set(['failure', 'timed_out', 'startup_failure']);
const workflowRun: Spec = (body, repo) => {
  const run = obj(body.workflow_run);
  const workflow = str(run.name) ?? str(obj(body.workflow).name) ?? 'Workflow';
  const branch = str(run.head_branch);
  const conclusion = str(run.conclusion);
  const done = str(body.action) === 'completed';
  const failed = done && conclusion !== undefined && FAILED.has(conclusion);
  const passed = done && conclusion === 'success';
  const outcome = !done ? 'started' : failed ? 'failed' : passed ? 'passed' : (conclusion ?? 'completed');
  // A failure and the next success on the same branch share a card: the success resolves it.
  const key = failed || passed ? dedupKey('github', 'workflow', repo, str(run.workflow_id) ?? workflow, branch ?? '') : undefined;
  return {
    name: `${workflow} ${outcome}${branch ? ` on ${branch}` : ''} (${repo})`,
    avatar: failed ? '❌' : passed ? '✅' : undefined,
    notify: failed,
    resolved: passed,
    dedupKey: key,
    rows: [
      ['Repository', repo],
      ['Title', str(run.display_title)],
      ['Conclusion', conclusion],
      ['Run', str(run.run_number) && `#${str(run.run_number)} (attempt ${str(run.run_attempt) ?? 1})`],
      ['Commit', str(run.head_sha)?.slice(0, 12)],
      ['Trigger', str(run.event)],
      ['Actor', login(run.actor) ?? login(body.sender)],
    ],
    actions: [link('Open run', run.html_url)],
  };
};

const release: Spec = (body, repo) => {
  const r = obj(body.release);
  const tag = str(r.name) ?? str(r.tag_name) ?? 'release';
  return {
    name: `Release ${tag} ${str(body.action) ?? 'updated'} (${repo})`,
    avatar: '🚀',
    notify: false,
    rows: [
      ['Repository', repo],
      ['Tag', str(r.tag_name)],
      ['Prerelease', r.prerelease === true ? 'yes' : undefined],
      ['Author', login(r.author)],
      ['Notes', str(r.body)],
    ],
    actions: [link('Open release', r.html_url)],
  };
};

const ping: Spec = (body, repo) => ({
  name: `GitHub connected${repo !== 'GitHub' ? `: ${repo}` : ''}`,
  avatar: '✅',
  notify: false,
  rows: [
    ['Zen', str(body.zen)],
    ['Hook', str(body.hook_id)],
    ['Events', arr(obj(body.hook).events)],
  ],
  actions: [link('Open repository', obj(body.repository).html_url)],
});

/** "push to org/repo by user", "issues opened in org/repo by user", linked to the thing when it has a page. */
function generic(name: string): Spec {
  return (body, repo) => {
    // The thing the event is about: `issues` carries `issue`, `issue_comment` a `comment`.
    const subject = obj([name, name.replace(/s$/, ''), 'comment', 'issue'].map((k) => body[k]).find(isObj));
    const by = login(body.sender) ?? str(obj(body.pusher).name);
    const action = str(body.action);
    const branch = str(body.ref)?.replace(/^refs\/(heads|tags)\//, '');
    const title = str(subject.title) ?? str(subject.name);
    const commits = Array.isArray(body.commits) ? body.commits.length : undefined;
    return {
      name: `${name.replace(/_/g, ' ')}${action ? ` ${action}` : ''} ${name === 'push' ? 'to' : 'in'} ${repo}${by ? ` by ${by}` : ''}${title ? `: ${title}` : ''}`,
      notify: false,
      rows: [
        ['Event', name],
        ['Action', action],
        ['Repository', repo],
        ['Ref', branch],
        ['Commits', commits],
        ['Head commit', str(obj(body.head_commit).message)],
      ],
      actions: [link('Open on GitHub', subject.html_url ?? body.compare), link('Open repository', obj(body.repository).html_url)],
    };
  };
}

const SPECS: Record<string, Spec> = {
  pull_request: pullRequest,
  workflow_run: workflowRun,
  release,
  dependabot_alert: dependabot,
  code_scanning_alert: codeScanning,
  secret_scanning_alert: secretScanning,
  ping,
};

export function mapGithub(delivery: HookDelivery): MappedEvent[] {
  const body = delivery.body;
  if (!isObj(body)) return [];
  const header = str(delivery.headers?.['x-github-event']);
  const name = header ?? (str(body.zen) ? 'ping' : undefined);
  if (name === undefined) return [];
  const repository = obj(body.repository);
  const repo = str(repository.full_name) ?? str(obj(body.organization).login) ?? 'GitHub';
  const spec = Object.hasOwn(SPECS, name) ? SPECS[name]! : generic(name.slice(0, 64));
  return [event('github', spec(body, repo))];
}
