import { mentorships, programs, projects, quests, userQuests } from '@jam/db';

/**
 * What the API shows of each row. Listed once, so a column added to a table
 * stays private until someone decides to publish it.
 */
export const programColumns = {
  id: programs.id,
  slug: programs.slug,
  name: programs.name,
  description: programs.description,
  status: programs.status,
  startsAt: programs.startsAt,
  endsAt: programs.endsAt,
  organizer: programs.organizer,
  applicationUrl: programs.applicationUrl,
  submissionDeadline: programs.submissionDeadline,
  tracks: programs.tracks,
};

export const questColumns = {
  id: quests.id,
  programId: quests.programId,
  title: quests.title,
  description: quests.description,
  points: quests.points,
  availableFrom: quests.availableFrom,
  dueDate: quests.dueDate,
  category: quests.category,
  difficulty: quests.difficulty,
};

export const userQuestColumns = {
  id: userQuests.id,
  questId: userQuests.questId,
  status: userQuests.status,
  completedAt: userQuests.completedAt,
  submissionText: userQuests.submissionText,
  submissionUrls: userQuests.submissionUrls,
  updatedAt: userQuests.updatedAt,
};

export const mentorshipColumns = {
  id: mentorships.id,
  mentorId: mentorships.mentorId,
  participantId: mentorships.participantId,
  status: mentorships.status,
  sessionNotes: mentorships.sessionNotes,
  mentorRating: mentorships.mentorRating,
  participantRating: mentorships.participantRating,
  createdAt: mentorships.createdAt,
  updatedAt: mentorships.updatedAt,
};

export const projectColumns = {
  id: projects.id,
  programId: projects.programId,
  name: projects.name,
  description: projects.description,
  repositoryUrl: projects.repositoryUrl,
  videoUrl: projects.videoUrl,
  productionUrl: projects.productionUrl,
  website: projects.website,
  createdAt: projects.createdAt,
};
