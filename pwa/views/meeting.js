// meeting.js: one meeting (#/meeting/<id>): when and where, what kind, directions as links
// (geo: and OpenStreetMap, no embedded map), add to calendar, join, favourite, "I went".

import { html, useEffect, useState } from './html.js';
import { formatNumber, t } from '../i18n.js';
import { attendanceEntry, favouriteEntry, getMeeting, meetingCalendarUrl } from '../api.js';
import { Title, errorText } from './parts.js';
import {
  cachedFavourites, knownMeeting, loadFavourites, saveFavourites, sendOrQueue, typeNames,
} from '../meetings.js';
import { hasPlace, placeText, weekdayName, whenLine } from './meeting-parts.js';
import { dateIn } from '../dates.js';

// The meeting id from the address (#/meeting/<id>).
export function meetingIdFromHash(hash = location.hash) {
  const match = /^#\/meeting\/([\w-]+)/.exec(hash);
  return match ? match[1] : null;
}

function osmLink({ lat, lon }) {
  const at = `${formatCoordinate(lat)}/${formatCoordinate(lon)}`;
  return `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=17/${at}`;
}

function formatCoordinate(value) {
  return Number(value).toFixed(5);
}

function geoLink({ lat, lon, name }) {
  const label = name ? `(${encodeURIComponent(name)})` : '';
  return `geo:${lat},${lon}?q=${lat},${lon}${label}`;
}

function Directions({ meeting }) {
  if (!hasPlace(meeting)) return null;
  const { lat, lon, name } = meeting.location;
  if (typeof lat !== 'number' || typeof lon !== 'number') return null;
  return html`
    <section class="panel" aria-labelledby="meeting-directions">
      <h2 class="subtitle" id="meeting-directions">${t('meetings.directions')}</h2>
      <div class="card__actions">
        <a class="button button--secondary" href=${geoLink({ lat, lon, name })}
          data-testid="geo-link">${t('meetings.open_in_maps')}</a>
        <a class="button button--secondary" href=${osmLink({ lat, lon })} rel="noopener noreferrer"
          target="_blank" data-testid="osm-link">${t('meetings.openstreetmap')}</a>
      </div>
      <p class="hint">${t('meetings.directions_hint')}</p>
    </section>`;
}

// A dial-in keeps what the Meeting Guide specification allows for one-tap links: "," pauses
// and "*" and "#" for the meeting's id and PIN ("#" escaped, or it would end the URI).
function dialInLink(phone) {
  return `tel:${phone.replace(/[^\d+,*#]/g, '').replaceAll('#', '%23')}`;
}

function Online({ meeting }) {
  if (meeting.attendance === 'in_person') return null;
  return html`
    <section class="panel" aria-labelledby="meeting-online">
      <h2 class="subtitle" id="meeting-online">${t('meetings.join_heading')}</h2>
      <div class="card__actions">
        ${meeting.conference_url && html`
          <a class="button" href=${meeting.conference_url} rel="noopener noreferrer" target="_blank"
            data-testid="join-link">${t('meetings.join')}</a>`}
        ${meeting.conference_phone && html`
          <a class="button button--secondary" href=${dialInLink(meeting.conference_phone)}>
            ${t('meetings.call_in', { phone: meeting.conference_phone })}</a>`}
      </div>
    </section>`;
}

export function Meeting({ state, actions }) {
  const id = meetingIdFromHash();
  const timeZone = state.me?.timezone;
  const [meeting, setMeeting] = useState(null);
  const [missing, setMissing] = useState(false);
  const [offline, setOffline] = useState(false);
  const [names, setNames] = useState({});
  const [favourite, setFavourite] = useState(false);
  const [went, setWent] = useState(false);
  // Busy until the favourites are known, so a tap never races the answer about them.
  const [working, setWorking] = useState(true);

  useEffect(() => {
    setWent(false);
    setOffline(false);
    setWorking(true);
    if (!id) {
      setMissing(true);
      return;
    }
    setMissing(false);
    (async () => {
      try {
        setMeeting(await getMeeting(id));
      } catch (error) {
        const known = error.offline ? await knownMeeting(id) : null;
        if (known) {
          setMeeting(known);
          setOffline(true);
        } else {
          setMissing(true);
        }
      }
      setNames(await typeNames());
      try {
        setFavourite((await loadFavourites()).meetings.some((m) => m.id === id));
      } catch {
        setFavourite((await cachedFavourites()).some((m) => m.id === id));
      }
      setWorking(false);
    })();
  }, [id, state.lang]);

  async function toggleFavourite() {
    setWorking(true);
    const next = !favourite;
    try {
      await sendOrQueue(favouriteEntry(next ? 'PUT' : 'DELETE', meeting.id));
      const kept = (await cachedFavourites()).filter((m) => m.id !== meeting.id);
      await saveFavourites(next ? [...kept, meeting] : kept);
      setFavourite(next);
      actions.announce(t(next ? 'meetings.favourite_added' : 'meetings.favourite_removed'));
    } catch (error) {
      actions.announce(errorText(error));
    } finally {
      setWorking(false);
    }
  }

  async function iWent() {
    setWorking(true);
    try {
      const { queued } = await sendOrQueue(
        attendanceEntry({ meeting_id: meeting.id, date: dateIn(timeZone) }),
      );
      setWent(true);
      actions.announce(t(queued ? 'meetings.went_queued' : 'meetings.went_saved'));
    } catch (error) {
      actions.announce(errorText(error));
    } finally {
      setWorking(false);
    }
  }

  if (missing) {
    return html`
      <div class="screen screen--meeting">
        <${Title}>${t('meetings.not_found_title')}<//>
        <p>${t('meetings.not_found')}</p>
        <p class="aside-link"><a href="#/meetings">${t('meetings.back')}</a></p>
      </div>`;
  }
  if (!meeting) {
    return html`<div class="screen screen--meeting"><${Title}>${t('meetings.loading')}<//></div>`;
  }
  const types = meeting.types.filter((code) => names[code]).map((code) => names[code]);
  const where = placeText(meeting);
  return html`
    <div class="screen screen--meeting" data-testid="meeting-detail">
      <p class="aside-link aside-link--top"><a href="#/meetings">${t('meetings.back')}</a></p>
      <${Title}>${meeting.name}<//>
      ${offline && html`<p class="notice">${t('meetings.offline_meeting')}</p>`}
      ${meeting.temporarily_closed && html`
        <p class="notice" data-testid="temporarily-closed">
          ${t(meeting.attendance === 'in_person' ? 'meetings.temporarily_closed' : 'meetings.temporarily_closed_online')}
        </p>`}
      <p class="lead meeting-when" data-testid="meeting-when">${whenLine(meeting, timeZone)}</p>
      <dl class="facts">
        <dt>${t('meetings.weekly')}</dt>
        <dd>${t('meetings.every', { day: weekdayName(meeting.day), start: meeting.time, end: meeting.end_time })}
          ${meeting.timezone !== timeZone && html` <span class="hint">(${meeting.timezone})</span>`}</dd>
        <dt>${t('meetings.fellowship')}</dt>
        <dd>${meeting.fellowship}</dd>
        <dt>${t('meetings.how')}</dt>
        <dd>${t(`meetings.attendance.${meeting.attendance}`)}</dd>
        ${where && html`<dt>${t('meetings.where')}</dt><dd>${where}</dd>`}
        ${hasPlace(meeting) && typeof meeting.distance_km === 'number' && html`
          <dt>${t('meetings.distance')}</dt>
          <dd>${t('meetings.km', { distance: formatNumber(meeting.distance_km, { maximumFractionDigits: 1 }) })}</dd>`}
      </dl>
      ${types.length > 0 && html`
        <ul class="tags" aria-label=${t('meetings.types')}>
          ${types.map((name) => html`<li key=${name} class="tag">${name}</li>`)}
        </ul>`}
      ${meeting.notes && html`<p class="meeting-notes">${meeting.notes}</p>`}

      <div class="actions">
        <button type="button" class="button" aria-pressed=${favourite ? 'true' : 'false'}
          disabled=${working} onClick=${toggleFavourite} data-testid="favourite">
          ${favourite ? `★ ${t('meetings.is_favourite')}` : `☆ ${t('meetings.make_favourite')}`}
        </button>
        <button type="button" class="button button--secondary" disabled=${working || went}
          onClick=${iWent} data-testid="i-went">
          ${went ? t('meetings.went_done') : t('meetings.i_went')}
        </button>
        <a class="button button--secondary" href=${meetingCalendarUrl(meeting.id)}
          download="meeting.ics" data-testid="calendar-link">${t('meetings.add_to_calendar')}</a>
      </div>
      <${Online} meeting=${meeting} />
      <${Directions} meeting=${meeting} />
    </div>`;
}
