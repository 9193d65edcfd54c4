/**
 * Settings → Project: admins rename it; owners make a new project and delete this one (its name
 * typed again, since everything in it goes).
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { DEFAULT_PROJECT, type ProjectDto } from '../../../contract/api.ts';
import { Alert, Button, Card, TextField } from '../../components/ui.tsx';
import { t } from '../../i18n/i18n.ts';
import { ApiFailure, api, fieldError } from '../../lib/api.ts';
import { navigate } from '../../lib/router.tsx';
import { rich } from '../../i18n/rich.tsx';
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
        <h2 id="project-admin" className="text-lg font-semibold">{t('settings.projectAdmin.title')}</h2>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          {rich('settings.projectAdmin.address', {
            address: <code dir="ltr">{projectHref(project.slug, '/')}</code>,
            api: <code dir="ltr">/api/projects/{project.slug}/</code>,
          })}
        </p>
      </div>
      <form onSubmit={submit(() => rename.mutate())} className="flex flex-wrap items-end gap-2">
        <div className="min-w-48 flex-1">
          <TextField label={t('settings.projectAdmin.name')} value={name} onChange={(e) => setName(e.target.value)} error={fieldError(rename.error, 'name')} />
        </div>
        <Button type="submit" disabled={rename.isPending || name.trim() === project.name}>
          {rename.isPending ? t('settings.projectAdmin.renaming') : t('settings.common.rename')}
        </Button>
      </form>
      {owner && (
        // Another project, beside this one: for owners, who run the installation.
        <form onSubmit={submit(() => create.mutate())} className="flex flex-wrap items-end gap-2 border-t border-slate-100 pt-4 dark:border-slate-800">
          <div className="min-w-48 flex-1">
            <TextField label={t('settings.projectAdmin.newProject')} placeholder={t('settings.projectAdmin.newPlaceholder')} value={newName} onChange={(e) => setNewName(e.target.value)} error={fieldError(create.error, 'name')} />
          </div>
          <Button type="submit" tone="primary" disabled={create.isPending || newName.trim() === ''}>
            {create.isPending ? t('settings.common.creating') : t('settings.projectAdmin.create')}
          </Button>
        </form>
      )}
      {owner && project.slug !== DEFAULT_PROJECT && (
        // The danger zone, last: everything in the project goes with it.
        <div className="flex flex-col gap-2 rounded-lg p-3 ring-1 ring-red-200 dark:ring-red-900">
          <p className="text-sm text-slate-700 dark:text-slate-300">{t('settings.projectAdmin.deleteWarning', { project: project.name })}</p>
          {deleting ? (
            <form onSubmit={submit(() => remove.mutate())} className="flex flex-col gap-2">
              <TextField
                label={t('settings.projectAdmin.typeToDelete', { project: project.name })}
                value={typed}
                onChange={(e) => setTyped(e.target.value)}
                error={fieldError(remove.error, 'confirm')}
              />
              <div className="flex gap-2">
                <Button onClick={() => setDeleting(false)}>{t('settings.common.cancel')}</Button>
                <Button type="submit" tone="danger" disabled={remove.isPending || typed !== project.name}>
                  {remove.isPending ? t('settings.common.deleting') : t('settings.projectAdmin.delete')}
                </Button>
              </div>
            </form>
          ) : (
            <Button tone="dangerQuiet" className="self-start" onClick={() => setDeleting(true)}>
              {t('settings.projectAdmin.deleteStart')}
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
