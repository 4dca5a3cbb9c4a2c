// push.js: Web Push on this device: whether it can, whether it may, and keeping the server's
// copy of the subscription fresh. Permission is only ever asked from a tap (enablePush).

import * as api from './api.js';
import * as store from './store.js';

const SUBSCRIPTION_ID = 'push_subscription_id';

function isIos() {
  return /iPad|iPhone|iPod/.test(navigator.userAgent)
    || (navigator.platform === 'MacIntel' && navigator.maxTouchPoints > 1);
}

function isStandalone() {
  return window.matchMedia?.('(display-mode: standalone)').matches || navigator.standalone === true;
}

// 'supported', 'ios-home-screen' (iPhone and iPad: only apps added to the home screen get push)
// or 'unsupported'.
export function pushSupport() {
  if (isIos() && !isStandalone()) return 'ios-home-screen';
  const supported = 'serviceWorker' in navigator && 'PushManager' in window
    && 'Notification' in window;
  return supported ? 'supported' : 'unsupported';
}

// 'default' (not asked yet), 'granted' or 'denied' (blocked: only the person can undo that).
export function permission() {
  return 'Notification' in window ? Notification.permission : 'default';
}

function keyBytes(base64url) {
  const base64 = base64url.replace(/-/g, '+').replace(/_/g, '/');
  const raw = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}

function sameKey(buffer, base64url) {
  if (!buffer) return false;
  const a = new Uint8Array(buffer);
  const b = keyBytes(base64url);
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

// The service worker's registration, or null when it never registered (no waiting forever).
async function registration() {
  if (!('serviceWorker' in navigator)) return null;
  const timeout = new Promise((resolve) => { setTimeout(() => resolve(null), 10_000); });
  return Promise.race([navigator.serviceWorker.ready, timeout]);
}

export async function currentSubscription() {
  const reg = await registration();
  return reg ? reg.pushManager.getSubscription() : null;
}

async function send(subscription) {
  const { id } = await api.savePushSubscription(subscription.toJSON());
  await store.set(SUBSCRIPTION_ID, id);
  return id;
}

// From a tap only: asks for permission, subscribes with the server's key, tells the server.
// Resolves with the permission ('granted', 'denied' or 'default' when the prompt was dismissed).
export async function enablePush() {
  const answer = await Notification.requestPermission();
  if (answer !== 'granted') return answer;
  const reg = await registration();
  if (!reg) throw new Error('no service worker');
  const { public_key: publicKey } = await api.getPushKey();
  let subscription = await reg.pushManager.getSubscription();
  // A subscription made for another server key (the server's key was replaced) is useless.
  if (subscription && !sameKey(subscription.options?.applicationServerKey, publicKey)) {
    await subscription.unsubscribe();
    subscription = null;
  }
  subscription ??= await reg.pushManager.subscribe({
    userVisibleOnly: true,
    applicationServerKey: keyBytes(publicKey),
  });
  await send(subscription);
  return 'granted';
}

// Stops notifications to this browser (the reminders themselves stay set).
export async function disablePush() {
  const subscription = await currentSubscription();
  const id = await store.get(SUBSCRIPTION_ID);
  if (id) await api.deletePushSubscription(id).catch(() => {});
  await store.remove(SUBSCRIPTION_ID);
  if (subscription) await subscription.unsubscribe();
}

// At every app start: the server forgets subscriptions that a push service reported gone, and
// browsers renew them now and then, so the current one is sent again (the server dedupes).
export async function resendSubscription() {
  if (pushSupport() !== 'supported' || permission() !== 'granted') return false;
  const subscription = await currentSubscription();
  if (!subscription) return false;
  await send(subscription);
  return true;
}
