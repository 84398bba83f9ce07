// The browser scenarios; each gets the helpers `t` from run.mjs. Selectors use data-testid attributes.

const row = (t, app) => t.page.locator(`[data-testid=app-row][data-app="${app}"]`);
const text = async locator => ((await locator.textContent()) ?? '').trim();

async function login(t, token) {
  await t.page.goto(t.url);
  await t.page.getByTestId('token').fill(token);
  await t.page.getByTestId('login').click();
  await t.page.getByTestId('apps').waitFor();
}

async function confirm(t) {
  await t.page.getByTestId('confirm').waitFor();
  await t.page.getByTestId('confirm-ok').click();
}

async function rowShows(t, app, sync, health) {
  const r = row(t, app);
  return (await r.count()) === 1 && (await text(r.getByTestId('sync'))) === sync && (await text(r.getByTestId('health'))) === health;
}

export const scenarios = {
  /** An admin: log in, see the apps, a commit arrives live, open an app, diff, pause/resume, sync, rollback, log out. */
  async admin(t) {
    const [app, other] = t.apps;
    t.step('the login page refuses a wrong token');
    await t.page.goto(t.url);
    await t.page.getByTestId('token').fill('not-a-token');
    await t.page.getByTestId('login').click();
    await t.page.getByRole('alert').waitFor();

    t.step('log in; the list shows every app Synced and Healthy, with counts');
    await login(t, t.adminToken);
    await t.until('both apps Synced/Healthy', async () => (await rowShows(t, app, 'Synced', 'Healthy')) && rowShows(t, other, 'Synced', 'Healthy'));
    await t.until('counts: 2 synced', async () => (await text(t.page.getByTestId('count-Synced'))).endsWith('2'));
    t.check((await text(t.page.getByTestId('who'))).includes('admin'), 'the header names the admin role');
    await t.screenshot('applications.png');

    t.step('search narrows the list');
    await t.page.getByTestId('search').fill(other);
    await t.until('only the searched app', async () => (await t.page.getByTestId('app-row').count()) === 1 && (await row(t, other).count()) === 1);
    await t.page.getByTestId('search').fill('');

    t.step('a commit pushed to git shows up live, without a reload');
    await t.page.evaluate(() => { window.__noReload = true; });
    const v2 = await t.commit(app, 'v2');
    await t.until('the new revision in the list', async () => (await text(row(t, app).getByTestId('revision'))) === v2.slice(0, 7), 90_000);
    t.check(await t.page.evaluate(() => window.__noReload === true), 'the page was reloaded');

    t.step('open the app: summary, resources');
    await row(t, app).getByRole('link', { name: app }).click();
    await t.page.getByTestId('app-title').waitFor();
    await t.until('the commit on the summary', async () => (await text(t.page.getByTestId('commit'))) === v2.slice(0, 7));
    await t.page.getByTestId('tab-resources').click();
    const settings = t.page.locator('[data-testid=resource][data-kind=ConfigMap][data-name=settings]');
    await settings.waitFor();
    await settings.getByTestId('show-yaml').click();
    await t.until('the desired YAML of the ConfigMap', async () => (await text(t.page.getByTestId('yaml'))).includes('value: v2'));
    await t.screenshot('application.png');

    t.step('pause (confirmed); a commit is then only reported: OutOfSync, and the diff shows it');
    await t.page.getByTestId('tab-summary').click();
    await t.page.getByTestId('action-pause').click();
    await confirm(t);
    await t.page.getByTestId('paused').first().waitFor();
    const v3 = await t.commit(app, 'v3');
    await t.until('OutOfSync while paused', async () => (await text(t.page.locator('.toolbar [data-testid=sync]'))) === 'OutOfSync', 90_000);
    await t.page.getByTestId('tab-diff').click();
    await t.until('the diff shows v3', async () => (await text(t.page.getByTestId('diff'))).includes('v3'));
    await t.screenshot('diff.png');

    t.step('resume: the app converges on v3 (live)');
    await t.page.getByTestId('action-resume').click();
    await t.until('Synced after resume', async () => (await text(t.page.locator('.toolbar [data-testid=sync]'))) === 'Synced', 90_000);
    await t.page.getByTestId('tab-summary').click();
    await t.until('the commit is v3', async () => (await text(t.page.getByTestId('commit'))) === v3.slice(0, 7));

    t.step('sync with prune (confirmed): the operation result arrives');
    await t.page.getByTestId('action-sync').click();
    await t.page.getByTestId('sync-prune').check();
    await confirm(t);
    await t.until('the sync succeeded', async () => (await text(t.page.getByTestId('notice'))).startsWith('Sync succeeded'), 90_000);
    await t.until('the operation shows it', async () => (await text(t.page.getByTestId('operation-phase'))) === 'Succeeded');

    t.step('history: roll back to the v2 sync (confirmed); the revert commit arrives live');
    await t.page.getByTestId('tab-history').click();
    const entry = t.page.locator(`[data-testid=history-entry][data-sha="${v2}"]`).first();
    await entry.waitFor();
    await t.screenshot('history.png');
    await entry.getByTestId('rollback').click();
    await confirm(t);
    await t.until('the rollback notice', async () => (await text(t.page.getByTestId('notice'))).startsWith('Rolled back'), 90_000);
    await t.page.getByTestId('tab-summary').click();
    await t.until('a new commit (the revert) synced', async () => {
      const commit = await text(t.page.getByTestId('commit'));
      return commit !== v3.slice(0, 7) && commit !== v2.slice(0, 7) && (await text(t.page.locator('.toolbar [data-testid=sync]'))) === 'Synced';
    }, 90_000);

    t.step('back to the list: the status filters and counts follow the live state');
    await t.page.locator('.crumbs').getByRole('link', { name: 'Applications' }).click();
    await t.until('both apps Synced again', async () => (await rowShows(t, app, 'Synced', 'Healthy')) && rowShows(t, other, 'Synced', 'Healthy'));
    await t.page.getByTestId('filter-sync').selectOption('OutOfSync');
    await t.page.getByText('No applications match.').waitFor();
    await t.page.getByTestId('filter-sync').selectOption('');
    await t.page.getByTestId('count-Healthy').click();
    await t.until('the Healthy chip shows both', async () => (await t.page.getByTestId('app-row').count()) === 2);

    t.step('log out: back to the login page; the token is gone from the tab');
    await t.page.getByTestId('logout').click();
    await t.page.getByTestId('token').waitFor();
    t.check(await t.page.evaluate(() => sessionStorage.length === 0), 'sessionStorage still holds the token');
  },

  /** A read-only token sees everything and is offered no action. */
  async readonly(t) {
    const [app] = t.apps;
    await login(t, t.readOnlyToken);
    // Its Deployment's Pods stay Pending (no scheduler here), so the app is Synced and Progressing.
    await t.until('the app Synced', () => rowShows(t, app, 'Synced', 'Progressing'), 90_000);
    t.check((await text(t.page.getByTestId('who'))).includes('read-only'), 'the header names the read-only role');
    await row(t, app).getByRole('link', { name: app }).click();
    await t.page.getByTestId('app-title').waitFor();
    t.check((await t.page.getByTestId('actions').count()) === 0, 'actions are offered to a read-only token');
    t.check((await t.page.getByRole('button', { name: 'Sync' }).count()) === 0, 'a Sync button is shown to a read-only token');

    t.step('the resource tree: Deployment → ReplicaSet → Pods, with health per node');
    await t.page.getByTestId('tab-resources').click();
    await t.until('two Pods under the ReplicaSet under the Deployment', async () =>
      (await t.page.locator('[data-testid=resource][data-kind=Deployment][data-depth="0"]').count()) === 1
      && (await t.page.locator('[data-testid=resource][data-kind=ReplicaSet][data-depth="1"]').count()) === 1
      && (await t.page.locator('[data-testid=resource][data-kind=Pod][data-depth="2"]').count()) === 2, 90_000);
    await t.page.locator('[data-testid=resource][data-kind=Pod]').first().getByTestId('show-live').click();
    await t.until('a Pod\'s live YAML', async () => (await text(t.page.getByTestId('live-yaml'))).includes('kind: Pod'));
    await t.screenshot('resource-tree.png');

    // The app also has a Secret: its row is listed, its values are never shown.
    const secret = t.page.locator('[data-testid=resource][data-kind=Secret][data-name=credentials]');
    await secret.waitFor();
    await secret.getByTestId('show-yaml').click();
    await t.page.getByTestId('secret-hidden').waitFor();
    await secret.getByTestId('show-live').click();
    await t.until('the Secret\'s live YAML, masked', async () => (await text(t.page.getByTestId('live-yaml'))).includes('masked value'));
    const page = await t.page.evaluate(() => document.body.innerText);
    t.check(!page.includes('s3cr3t-value') && !page.includes(btoa('s3cr3t-value')), 'a Secret value is on the page');
    await t.page.getByTestId('tab-history').click();
    await t.page.getByTestId('history').waitFor();
    t.check((await t.page.getByTestId('rollback').count()) === 0, 'rollback is offered to a read-only token');
    await t.screenshot('read-only.png');
  },

  /** Markup in a commit subject and in an error message is shown as text, never run or rendered. */
  async markup(t) {
    const [plain, broken] = t.apps;
    await login(t, t.adminToken);
    await row(t, plain).getByRole('link', { name: plain }).click();
    const subject = '<script>window.__xss=1</script><b>bold</b> subject';
    await t.until('the commit subject with markup, as text', async () => (await text(t.page.locator('.card dd', { has: t.page.getByTestId('commit') }))).includes(subject), 90_000);
    t.check((await t.page.locator('.card b', { hasText: 'bold' }).count()) === 0, 'the subject markup was rendered');
    await t.page.getByTestId('tab-history').click();
    await t.until('the subject in the history, as text', async () => (await text(t.page.getByTestId('history'))).includes(subject));
    await t.page.locator('.crumbs').getByRole('link', { name: 'Applications' }).click();

    await row(t, broken).waitFor();
    await row(t, broken).getByRole('link', { name: broken }).click();
    const message = t.page.getByTestId('condition-message').first();
    await t.until('the ComparisonError names the file', async () => (await text(message)).includes('.yaml'), 90_000);
    const shown = await text(message);
    t.check(shown.includes('<img'), `the message lost its markup text: ${shown}`);
    t.check((await t.page.locator('[data-testid=conditions] img, img[src="x"]').count()) === 0, 'markup was rendered as an element');
    t.check(await t.page.evaluate(() => window.__xss === undefined), 'injected script ran');
    await t.screenshot('markup.png');
  },

  /** A pipeline waiting for approval: a read-only token sees it and no approve button; the approver approves it. */
  async pipeline(t) {
    const stage = name => t.page.locator(`[data-testid=stage][data-stage="${name}"]`);
    const prod = stage('prod');
    const openPipelines = async () => {
      await t.page.getByTestId('nav-pipelines').click();
      await t.page.locator('[data-testid=pipeline][data-pipeline=release]').waitFor();
    };

    t.step('read-only: the canary runs v1.0.0, which waits for an approval to enter prod; no approve button');
    await login(t, t.readOnlyToken);
    await openPipelines();
    await t.until('v1.0.0 waits for approval', async () =>
      (await text(stage('canary').getByTestId('current-revision'))) === 'v1.0.0'
      && (await text(prod.getByTestId('candidate-revision'))) === 'v1.0.0'
      && (await text(prod.getByTestId('candidate-phase'))) === 'Waiting'
      && (await prod.locator('[data-testid=gate][data-gate=approval][data-state=Pending]').count()) === 1, 90_000);
    const gate = await text(prod.locator('[data-testid=gate][data-gate=approval] [data-testid=gate-message]'));
    t.check(gate.includes('approval'), `the approval gate's reason is shown: ${gate}`);
    t.check((await t.page.getByTestId('approve').count()) === 0 && (await t.page.getByTestId('reject').count()) === 0,
      'approve or reject is offered to a read-only token');
    const subject = await text(prod.getByTestId('candidate-subject'));
    t.check(subject.includes('<img src=x') && subject.includes('<b>bold</b>'), `the subject lost its markup text: ${subject}`);
    t.check((await t.page.locator('[data-testid=pipeline] img, [data-testid=candidate-subject] b').count()) === 0, 'subject markup was rendered');
    await t.screenshot('pipeline-read-only.png');
    await t.page.getByTestId('logout').click();
    await t.page.getByTestId('token').waitFor();

    t.step('the approver: approve and reject on prod only; approve (confirmed, with a comment)');
    await login(t, t.approverToken);
    await t.page.evaluate(() => { window.__noReload = true; });
    await openPipelines();
    t.check((await text(t.page.getByTestId('who'))).includes('approver'), 'the header names the approver role');
    await prod.getByTestId('approve').waitFor();
    t.check((await stage('canary').getByTestId('approve').count()) === 0, 'approve is offered on the first stage');
    await t.screenshot('pipeline.png');
    await prod.getByTestId('approve').click();
    await t.page.getByTestId('confirm').waitFor();
    await t.page.getByTestId('decision-comment').fill('<b>ship</b> it');
    await t.page.getByTestId('confirm-ok').click();
    await t.until('the approval notice', async () => (await text(t.page.getByTestId('notice'))).startsWith('Approved v1.0.0 for prod'));

    t.step('prod is promoted, live: it runs v1.0.0; the approval names who and when, its comment as text');
    await t.until('prod promoted to v1.0.0', async () =>
      (await text(prod.getByTestId('candidate-phase'))) === 'Promoted' && (await text(prod.getByTestId('current-revision'))) === 'v1.0.0', 90_000);
    t.check((await text(prod.getByTestId('approval-by'))) === 'ui-approver', 'the approval names the approver');
    t.check((await text(prod.getByTestId('approval-comment'))).includes('<b>ship</b> it'), 'the comment lost its markup text');
    t.check((await prod.locator('[data-testid=approval-comment] b').count()) === 0, 'comment markup was rendered');
    t.check((await prod.getByTestId('approve').count()) === 0, 'approve is still offered after the promotion');
    t.check(await t.page.evaluate(() => window.__noReload === true), 'the page was reloaded');
    t.check(await t.page.evaluate(() => window.__xss === undefined), 'injected script ran');
    await t.screenshot('pipeline-promoted.png');
  },

  /** The open resource tree follows the app's Pods (the tree's own Watch stream), without a reload. */
  async pods(t) {
    const [app] = t.apps;
    const pods = t.page.locator('[data-testid=resource][data-kind=Pod]');
    const names = () => pods.evaluateAll(rows => rows.map(r => r.dataset.name));
    await login(t, t.readOnlyToken);
    await row(t, app).getByRole('link', { name: app }).click();
    await t.page.getByTestId('tab-resources').click();
    await t.page.evaluate(() => { window.__noReload = true; });
    await t.until('two Pending Pods in the tree', async () => (await pods.count()) === 2
      && (await pods.getByTestId('health').allTextContents()).every(h => h === 'Progressing'), 90_000);
    const before = await names();

    t.step('a Pod reports Running (not Ready yet): only that Pod changes, and its row says so');
    await t.act('mark-running', before[1]);
    const running = t.page.locator(`[data-testid=resource][data-kind=Pod][data-name="${before[1]}"] td.message`);
    await t.until('the Pod\'s new state in the tree', async () => (await text(running)) === 'pod is not ready', 60_000);

    t.step('a Pod is deleted: its ReplicaSet makes another, and the tree shows the new one in its place');
    await t.act('delete-pod', before[0]);
    await t.until('the deleted Pod replaced', async () => {
      const now = await names();
      return now.length === 2 && !now.includes(before[0]) && now.includes(before[1]);
    }, 60_000);

    t.step('the node simulator binds and runs the Pods: they turn Healthy in the tree');
    await t.act('run-pods', '-');
    await t.until('both Pods Healthy', async () => (await pods.count()) === 2
      && (await pods.getByTestId('health').allTextContents()).every(h => h === 'Healthy'), 90_000);
    t.check(await t.page.evaluate(() => window.__noReload === true), 'the page was reloaded');
    await t.screenshot('resource-tree-live.png');
  },
};
