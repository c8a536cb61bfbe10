/** The media functions publish plugins reach through `context.services.media`. */
import { makeReviewMovie, makeThumbnail, probeMedia } from '../media/index.ts';

export const publishMedia = {
  probe: probeMedia,
  thumbnail: makeThumbnail,
  reviewMovie: makeReviewMovie,
} as const;

export type PublishMedia = typeof publishMedia;
