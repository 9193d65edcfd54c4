/**
 * Settings → Project: admins rename it; owners make a new project and delete this one (its name
 * typed again, since everything in it goes).
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { DEFAULT_PROJECT, type ProjectDto } from '../../../contract/api.ts';
import { Alert, Button, Card, TextField } from '../../components/ui.tsx';
import { ApiFailure, api, fieldError } from '../../lib/api.ts';
import { navigate } from '../../lib/router.tsx';
import { projectKeys } from './api.ts';
import { projectHref } from './current.ts';

export function ProjectAdmin({ project, owner }: { project: ProjectDto; owner: boolean }) {
  const qc = useQueryClient();
  const refresh = () => qc.invalidateQueries({ queryKey: projectKeys.list });
  const [name, setName] = useState(project.name);
  const [newName, setNewName] = useState('');
  const [typed, setTyped] = useState('');
  const [deleting, setDeleting] = useState(false);
  const rename = useMutation({
    mutationFn: () => api<ProjectDto>(`/api/projects/${encodeURIComponent(project.slug)}`, { method: 'PATCH', json: { name } }),
    onSuccess: refresh,
  });
  const create = useMutation({
    mutationFn: () => api<ProjectDto>('/api/projects', { method: 'POST', json: { name: newName } }),
    onSuccess: async (made) => {
      setNewName('');
      await refresh();
      navigate(projectHref(made.slug, '/settings'));
    },
  });
  const remove = useMutation({
    mutationFn: () => api<void>(`/api/projects/${encodeURIComponent(project.slug)}`, { method: 'DELETE', json: { confirm: typed } }),
    onSuccess: async () => {
      await refresh();
      navigate('/', { replace: true });
    },
  });
  const submit = (fn: () => void) => (e: FormEvent) => {
    e.preventDefault();
    fn();
  };
  return (
    <Card className="flex flex-col gap-4">
      <div>
        <h2 id="project-admin" className="text-lg font-semibold">Project</h2>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Its address is <code>{projectHref(project.slug, '/')}</code>; the API's is <code>/api/projects/{project.slug}/</code>.
        </p>
      </div>
      <form onSubmit={submit(() => rename.mutate())} className="flex flex-wrap items-end gap-2">
        <div className="min-w-48 flex-1">
          <TextField label="Project name" value={name} onChange={(e) => setName(e.target.value)} error={fieldError(rename.error, 'name')} />
        </div>
        <Button type="submit" disabled={rename.isPending || name.trim() === project.name}>
          {rename.isPending ? 'Renaming…' : 'Rename'}
        </Button>
      </form>
      {owner && (
        // Another project, beside this one: for owners, who run the installation.
        <form onSubmit={submit(() => create.mutate())} className="flex flex-wrap items-end gap-2 border-t border-slate-100 pt-4 dark:border-slate-800">
          <div className="min-w-48 flex-1">
            <TextField label="New project" placeholder="e.g. Payments" value={newName} onChange={(e) => setNewName(e.target.value)} error={fieldError(create.error, 'name')} />
          </div>
          <Button type="submit" tone="primary" disabled={create.isPending || newName.trim() === ''}>
            {create.isPending ? 'Creating…' : 'Create project'}
          </Button>
        </form>
      )}
      {owner && project.slug !== DEFAULT_PROJECT && (
        // The danger zone, last: everything in the project goes with it.
        <div className="flex flex-col gap-2 rounded-lg p-3 ring-1 ring-red-200 dark:ring-red-900">
          <p className="text-sm text-slate-700 dark:text-slate-300">Deleting {project.name} removes its events, keys and members for good.</p>
          {deleting ? (
            <form onSubmit={submit(() => remove.mutate())} className="flex flex-col gap-2">
              <TextField
                label={`Type “${project.name}” to delete it, with all its events, keys and members`}
                value={typed}
                onChange={(e) => setTyped(e.target.value)}
                error={fieldError(remove.error, 'confirm')}
              />
              <div className="flex gap-2">
                <Button onClick={() => setDeleting(false)}>Cancel</Button>
                <Button type="submit" tone="danger" disabled={remove.isPending || typed !== project.name}>
                  {remove.isPending ? 'Deleting…' : 'Delete project'}
                </Button>
              </div>
            </form>
          ) : (
            <Button tone="dangerQuiet" className="self-start" onClick={() => setDeleting(true)}>
              Delete project…
            </Button>
          )}
        </div>
      )}
      {[rename.error, create.error, remove.error].map(
        (e, i) => e && !(e instanceof ApiFailure && e.field) && <Alert key={['rename', 'create', 'remove'][i]}>{e.message}</Alert>,
      )}
    </Card>
  );
}
