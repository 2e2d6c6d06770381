import { ApiProperty } from '@nestjs/swagger';
import { IsISO8601, IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';

/** The identifiers by which another office finds the person: personal data, sent only where a contract names them. */
export class PersonIdentifiersDto {
  @ApiProperty({ example: 'Haddad' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  familyName!: string;

  @ApiProperty({ example: 'Rami' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  givenNames!: string;

  @ApiProperty({ example: '1991-03-14', description: 'ISO date' })
  @IsISO8601({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'dateOfBirth must be a date YYYY-MM-DD' })
  dateOfBirth!: string;
}
