import { useState } from 'react';
import { api, type ApiError, itemsOf, useApi } from '../lib/api.ts';
import { useAuth, type Role } from '../lib/auth.ts';
import { useI18n } from '../lib/i18n.ts';
import { Empty, ErrorLine, Modal } from '../components/ui.tsx';

/**
 * A generic editor for API resources whose shape belongs to other modules (rules, maintenance windows,
 * channels, credential profiles): a list, and a JSON definition validated by the server, which names the bad part.
 */
export function ResourceEditor(props: {
  path: string;
  listKeys?: string[];
  idOf(item: Record<string, unknown>): string;
  summary(item: Record<string, unknown>): string;
  template: Record<string, unknown>;
  /** How to save: POST to the collection, or PUT to `path/{id}` (credential profiles are keyed by name). */
  save?: 'post' | 'put';
  editRole?: Role;
  dryRun?: boolean;
  testId?: string;
}) {
  const { t } = useI18n();
  const { can } = useAuth();
  const list = useApi<unknown>(props.path);
  const [editing, setEditing] = useState<{ id?: string; text: string }>();
  const [error, setError] = useState<string>();
  const [dry, setDry] = useState<string>();
  const items = itemsOf<Record<string, unknown>>(list.data, ...(props.listKeys ?? []));
  const editable = can(props.editRole ?? 'operator');

  async function submit() {
    if (!editing) return;
    setError(undefined);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(editing.text) as Record<string, unknown>;
    } catch (e) {
      return setError((e as Error).message);
    }
    try {
      if (props.save === 'put') {
        const { name, ...rest } = body;
        await api('PUT', `${props.path}/${encodeURIComponent(String(name ?? editing.id))}`, rest);
      } else if (editing.id)
        await api('PATCH', `${props.path}/${encodeURIComponent(editing.id)}`, body).catch(async (e: ApiError) =>
          e.status === 404 || e.status === 405
            ? api('PUT', `${props.path}/${encodeURIComponent(editing.id!)}`, body)
            : Promise.reject(e),
        );
      else await api('POST', props.path, body);
      setEditing(undefined);
      list.reload();
    } catch (e) {
      setError((e as ApiError).message);
    }
  }
  async function remove(id: string) {
    if (!confirm(t('common.confirm'))) return;
    try {
      await api('DELETE', `${props.path}/${encodeURIComponent(id)}`);
      list.reload();
    } catch (e) {
      setError((e as ApiError).message);
    }
  }
  async function dryRun(id: string) {
    setDry(t('common.loading'));
    try {
      setDry(
        JSON.stringify(await api('POST', `${props.path}/${encodeURIComponent(id)}/dry-run`, { hours: 24 }), null, 2),
      );
    } catch (e) {
      setDry((e as ApiError).message);
    }
  }

  return (
    <div className="form" data-testid={props.testId}>
      {!editable && <p className="muted small">{t('common.readOnly')}</p>}
      <ErrorLine error={error && !editing ? error : undefined} />
      {items.length ? (
        <table className="table">
          <tbody>
            {items.map((it) => {
              const id = props.idOf(it);
              return (
                <tr key={id}>
                  <td className="mono">{id}</td>
                  <td>{props.summary(it)}</td>
                  <td className="actions">
                    {props.dryRun && (
                      <button type="button" className="ghost small" onClick={() => void dryRun(id)}>
                        {t('settings.dryRun')}
                      </button>
                    )}
                    {editable && it.origin !== 'config' && (
                      <>
                        <button
                          type="button"
                          className="ghost small"
                          onClick={() => setEditing({ id, text: JSON.stringify(it, null, 2) })}
                        >
                          {t('common.edit')}
                        </button>
                        <button type="button" className="ghost small danger" onClick={() => void remove(id)}>
                          {t('common.delete')}
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : (
        <Empty error={list.error} />
      )}
      {editable && !list.error?.missing && (
        <div className="row">
          <button type="button" onClick={() => setEditing({ text: JSON.stringify(props.template, null, 2) })}>
            + {t('settings.newItem')}
          </button>
        </div>
      )}
      {dry && <pre className="mono wrap small card">{dry}</pre>}
      {editing && (
        <Modal title={editing.id ?? t('settings.newItem')} onClose={() => setEditing(undefined)}>
          <div className="form">
            <label>
              {t('common.json')}
              <textarea
                className="mono"
                rows={18}
                value={editing.text}
                onChange={(e) => setEditing({ ...editing, text: e.target.value })}
                spellCheck={false}
              />
            </label>
            <ErrorLine error={error} />
            <div className="row end">
              <button type="button" onClick={() => setEditing(undefined)}>
                {t('common.cancel')}
              </button>
              <button type="button" className="primary" onClick={() => void submit()}>
                {t('common.save')}
              </button>
            </div>
          </div>
        </Modal>
      )}
    </div>
  );
}
